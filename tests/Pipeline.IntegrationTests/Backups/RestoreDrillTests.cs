using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Engine;
using Pipeline.Monitoring;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>RestoreDrill against s3rver and a real PostgreSQL server: a file set into a scratch folder, a database set into a
/// scratch database with its checks; the time to restore written as a metric; the scratch copies gone afterwards.</summary>
[Collection(S3rverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RestoreDrillTests(S3rverFixture s3, PostgresFixture postgres)
{
    [Fact]
    public async Task A_drill_restores_files_and_a_database_runs_its_checks_and_records_the_time_to_restore()
    {
        await postgres.StartedAsync();
        var (world, files, database) = await WorldAsync("drill", new DrillCheck("select count(*) from t", ">= 1000"),
            new DrillCheck("select count(distinct n) from t", "= 7"));
        using var _ = world;
        var operations = DatabaseSourceTests.Operations(world, files, database);
        await operations.BackupAsync(new BackupRequest([files, database]), default);
        var metrics = Path.Combine(world.Root, "metrics", "restore-drill.prom");

        var results = await operations.DrillAsync([files, database], metrics, default);

        results.Should().OnlyContain(r => r.Passed && r.SnapshotId != null && r.TimeToRestore > TimeSpan.Zero);
        var text = await File.ReadAllTextAsync(metrics);
        TextfileMetrics.ValueOf(text, MetricNames.RestoreDrillDuration, "set", "db").Should().BeGreaterThan(0);
        TextfileMetrics.ValueOf(text, MetricNames.RestoreDrillDuration, "set", "files").Should().BeGreaterThan(0);
        TextfileMetrics.ValueOf(text, MetricNames.RestoreDrillLastSuccess, "set", "db").Should().BeGreaterThan(1.7e9);
        (await postgres.DatabasesAsync()).Should().NotContain(d => d.StartsWith("drill_src_", StringComparison.Ordinal));
        Directory.Exists(world.State.Directory / "drill" / "files").Should().BeFalse();
    }

    [Fact]
    public async Task A_failing_check_fails_the_drill_naming_it_and_keeps_the_last_passing_time()
    {
        await postgres.StartedAsync();
        var (world, files, database) = await WorldAsync("drill-fails", new DrillCheck("select count(*) from t", "= 0"));
        using var _ = world;
        var operations = DatabaseSourceTests.Operations(world, files, database);
        await operations.BackupAsync(new BackupRequest([database]), default);
        var metrics = Path.Combine(world.Root, "restore-drill.prom");

        var drill = () => operations.DrillAsync([database], metrics, default);

        (await drill.Should().ThrowAsync<PipelineException>()).Which.Message.Should()
            .Contain("select count(*) from t").And.Contain("expected = 0");
        TextfileMetrics.ValueOf(TextfileMetrics.Read(metrics), MetricNames.RestoreDrillLastSuccess, "set", "db").Should().BeNull();
        (await postgres.DatabasesAsync()).Should().NotContain(d => d.StartsWith("drill_src_", StringComparison.Ordinal));
    }

    private async Task<(BackupWorld World, BackupSet Files, BackupSet Database)> WorldAsync(string name, params DrillCheck[] checks)
    {
        var world = new BackupWorld(s3, name);
        world.Write("a.txt", 3000, 1);
        world.Write("deep/b.bin", 5_000_000, 2);
        var database = $"src_{Guid.NewGuid():N}"[..20];
        await postgres.CreateDatabaseAsync(database);
        await postgres.QueryAsync(database, "create table t (id int primary key, n int not null)");
        await postgres.QueryAsync(database, "insert into t select g, g % 7 from generate_series(1, 5000) g");
        var source = new PostgresSource(postgres.Server, database, checks);
        var set = world.Set with { Name = "files" };
        var db = world.Set with
        {
            Name = "db",
            Sources = [new BackupSource(source.Name, SourceKind.Postgres, database) { Postgres = source }],
        };
        return (world, set, db);
    }
}
