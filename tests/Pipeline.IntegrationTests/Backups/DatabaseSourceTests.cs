using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Engine;
using Xunit;
using Xunit.Abstractions;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>
/// <c>postgres:</c> sources against a real PostgreSQL server and s3rver: pg_dump streamed into the repository, a changed
/// database dumped again, <c>Restore --into-database</c> making a clone whose rows match, and damage refused. The database
/// is <see cref="Megabytes"/> MB of rows (PIPELINE_PG_TEST_MB; 200 is the size, the default is smaller so the test
/// stays short on a loaded 2-core machine).
/// </summary>
[Collection(S3rverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DatabaseSourceTests(S3rverFixture s3, PostgresFixture postgres, ITestOutputHelper output)
{
    private static int Megabytes => int.TryParse(Environment.GetEnvironmentVariable("PIPELINE_PG_TEST_MB"), out var mb) ? mb : 24;

    [Fact]
    public async Task A_dumped_database_changed_by_one_percent_is_dumped_again_and_restores_into_a_new_database_with_the_same_rows()
    {
        await postgres.StartedAsync();
        var database = await DatabaseAsync("shop", Megabytes);
        using var world = new BackupWorld(s3, "postgres");
        var set = DatabaseSet(world, database);
        var operations = Operations(world, set);

        var first = await BackupAsync(operations, set);
        var changed = await postgres.QueryAsync(database, "update t set n = n + 1 where id % 100 = 0");
        var second = await BackupAsync(operations, set);
        var unchanged = await BackupAsync(operations, set);
        var clone = database + "_clone";
        await operations.RestoreAsync([set], null, null, false, default, intoDatabase: clone);

        output.WriteLine($"dump of {Megabytes} MB of rows: {first.Bytes:N0} bytes; first backup sent {first.UploadedBytes:N0} bytes in "
            + $"{first.Duration.TotalSeconds:F1} s, after 1% of rows changed ({changed}) {second.UploadedBytes:N0} bytes in "
            + $"{second.Duration.TotalSeconds:F1} s, unchanged {unchanged.UploadedBytes:N0} bytes (loaded machine: not a speed figure)");
        changed.Should().StartWith("UPDATE");
        first.UploadedBytes.Should().Be(first.Bytes);
        second.SnapshotId.Should().NotBe(first.SnapshotId);
        second.UploadedBytes.Should().BeLessThanOrEqualTo(second.Bytes);
        // An unchanged database dumps to the same bytes but for the header's time: only the first piece is sent again.
        unchanged.UploadedObjects.Should().Be(1);
        (await postgres.ChecksumAsync(clone, "t")).Should().Be(await postgres.ChecksumAsync(database, "t"));
        (await postgres.QueryAsync(clone, "select count(*) from t")).Should()
            .Be(await postgres.QueryAsync(database, "select count(*) from t"));
    }

    [Fact]
    public async Task In_an_encrypted_repository_the_dump_is_sealed_verified_kept_by_prune_and_restored()
    {
        await postgres.StartedAsync();
        var database = await DatabaseAsync("sealed", 10);
        using var world = new BackupWorld(s3, "postgres-sealed");
        var set = DatabaseSet(world, database);
        var access = new RepositoryAccess(KeyFile: Path.Combine(world.Root, "repo.key"));
        var operations = new BackupOperations(new BackupsDefinition([set], TimeSpan.Zero, 4, null), _ => world.Store, world.State, access)
        {
            PostgresPassword = PostgresFixture.Password,
        };
        await BackupAsync(operations, set);
        await postgres.QueryAsync(database, "update t set n = n + 1 where id % 100 = 0");
        await BackupAsync(operations, set);

        await operations.PruneAsync([set], dryRun: false, default);
        var verified = await operations.VerifyAsync([set], default);
        await operations.RestoreAsync([set], null, null, false, default, intoDatabase: database + "_clone");

        verified.Single().Problems.Should().BeEmpty();
        (await postgres.ChecksumAsync(database + "_clone", "t")).Should().Be(await postgres.ChecksumAsync(database, "t"));
        var raw = new List<string>();
        await foreach (var o in world.Store.ListAsync("", default)) raw.Add(o.Key);
        raw.Should().NotContain(k => k.Contains(database, StringComparison.Ordinal), "the provider sees no database name");
    }

    [Fact]
    public async Task Restore_into_an_existing_database_is_refused_and_leaves_it_untouched()
    {
        await postgres.StartedAsync();
        var database = await DatabaseAsync("keep", 1);
        using var world = new BackupWorld(s3, "postgres-exists");
        var set = DatabaseSet(world, database);
        var operations = Operations(world, set);
        await BackupAsync(operations, set);
        var before = await postgres.ChecksumAsync(database, "t");

        var restore = () => operations.RestoreAsync([set], null, null, false, default, intoDatabase: database);

        (await restore.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain("already exists");
        (await postgres.ChecksumAsync(database, "t")).Should().Be(before);
    }

    [Fact]
    public async Task A_corrupt_piece_is_refused_naming_its_object_and_the_half_restored_database_is_dropped()
    {
        await postgres.StartedAsync();
        var database = await DatabaseAsync("damaged", 12);
        using var world = new BackupWorld(s3, "postgres-damaged");
        var set = DatabaseSet(world, database);
        var operations = Operations(world, set);
        await BackupAsync(operations, set);
        var manifest = await world.LatestAsync(set);
        var second = DatabaseBackup.Pieces(manifest.Sources.Single())[1];
        var key = RepositoryLayout.Object(second.Sha256);
        world.FlipStoredByte(s3, key, 1000);

        var restore = () => operations.RestoreAsync([set], null, null, false, default, intoDatabase: database + "_clone");

        (await restore.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain(key).And.Contain("corrupt");
        (await postgres.DatabasesAsync()).Should().NotContain(database + "_clone");
    }

    [Fact]
    public async Task Restore_without_a_target_database_never_writes_over_the_live_one()
    {
        using var world = new BackupWorld(s3, "postgres-usage");
        var set = DatabaseSet(world, "anything");

        var restore = () => Operations(world, set).RestoreAsync([set], null, null, false, default);

        (await restore.Should().ThrowAsync<UsageException>()).Which.Message.Should().Contain("--into-database");
    }

    /// <summary>A new database holding a table t of about <paramref name="megabytes"/> MB of rows (id, n, a 96-character text).</summary>
    private async Task<string> DatabaseAsync(string name, int megabytes)
    {
        var database = $"{name}_{Guid.NewGuid():N}"[..20];
        await postgres.CreateDatabaseAsync(database);
        var rows = megabytes * 9_000;
        await postgres.QueryAsync(database, "create table t (id int primary key, n int not null, payload text not null)");
        await postgres.QueryAsync(database, $"insert into t select g, g % 1000, repeat(md5(g::text), 3) from generate_series(1, {rows}) g");
        return database;
    }

    private BackupSet DatabaseSet(BackupWorld world, string database, params DrillCheck[] checks)
    {
        var source = new PostgresSource(postgres.Server, database, checks);
        return new BackupSet("db", [new BackupSource(source.Name, SourceKind.Postgres, database) { Postgres = source }], [],
            S3rverFixture.Bucket, world.Store.Prefix.TrimEnd('/'), RetentionPolicy.Default(TimeZoneInfo.Utc));
    }

    /// <summary>The source names its server without the password; it comes as --postgres-password would give it.</summary>
    internal static BackupOperations Operations(BackupWorld world, params BackupSet[] sets) =>
        new(new BackupsDefinition(sets, TimeSpan.FromHours(1), 4, null), _ => world.Store, world.State)
        {
            PostgresPassword = PostgresFixture.Password,
        };

    private static async Task<BackupResult> BackupAsync(BackupOperations operations, BackupSet set) =>
        (await operations.BackupAsync(new BackupRequest([set]), default)).Single();
}
