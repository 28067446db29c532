using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Engine;
using Pipeline.Monitoring;
using Pipeline.Tools.Postgres;
using Xunit;

namespace Pipeline.Tests.Backups;

public sealed class DatabaseRestoreChoiceTests
{
    private static readonly BackupSet Files = Set("files", new BackupSource("/srv", SourceKind.Local, "/srv"));
    private static readonly BackupSet Shop = Set("shop", Database("shop"));
    private static readonly BackupSet Two = Set("two", Database("a"), Database("b"));

    [Fact]
    public void Into_database_takes_the_one_database_set_and_leaves_file_sets_alone()
    {
        DatabaseTargets.Choose([Files, Shop], null, "shop_clone").Should().Equal(Shop);
    }

    [Fact]
    public void Into_database_with_no_or_several_databases_is_a_usage_error()
    {
        var none = () => DatabaseTargets.Choose([Files], null, "x");
        var several = () => DatabaseTargets.Choose([Shop, Two], null, "x");
        var both = () => DatabaseTargets.Choose([Shop], "/tmp/r", "x");

        none.Should().Throw<UsageException>().WithMessage("*none of the sets (files) has a postgres: source*");
        several.Should().Throw<UsageException>().WithMessage("*the sets hold 3 (*)*--backup-set*");
        both.Should().Throw<UsageException>().WithMessage("*not both*");
    }

    [Fact]
    public void A_plain_restore_never_writes_over_a_live_database()
    {
        DatabaseTargets.Choose([Files, Shop], null, null).Should().Equal(Files);
        DatabaseTargets.Choose([Files, Shop], "/tmp/r", null).Should().Equal(Files, Shop);
        var only = () => DatabaseTargets.Choose([Shop], null, null);
        only.Should().Throw<UsageException>().WithMessage("*--into-database*--restore-into*");
    }

    [Fact]
    public void The_drill_metrics_hold_the_time_to_restore_of_passing_sets_only()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

        var text = DrillMetrics.Render(
            [
                new DrillResult("db", "s1", 1000, TimeSpan.FromSeconds(12.3456), null),
                new DrillResult("files", "s2", 5, TimeSpan.FromSeconds(1), "bad"),
            ],
            now,
            existing: null
        );

        TextfileMetrics.ValueOf(text, MetricNames.RestoreDrillDuration, "set", "db").Should().Be(12.346);
        TextfileMetrics.ValueOf(text, MetricNames.RestoreDrillLastSuccess, "set", "db").Should().Be(1_800_000_000);
        TextfileMetrics.ValueOf(text, MetricNames.RestoreDrillDuration, "set", "files").Should().BeNull();
    }

    [Fact]
    public void A_database_source_of_a_snapshot_finds_its_server_by_its_recorded_name_when_the_set_no_longer_names_it()
    {
        var source = new SnapshotSource("postgres://backup@db.example.test:6432/old", SourceKind.Postgres, "old", false, []);

        DatabaseRestore.ConnectionOf(source, Shop).Should().Be(new PostgresConnection("db.example.test", 6432, "backup"));
    }

    private static BackupSource Database(string name)
    {
        var source = new PostgresSource(new PostgresConnection("127.0.0.1", 5432, "u"), name, []);
        return new BackupSource(source.Name, SourceKind.Postgres, name) { Postgres = source };
    }

    private static BackupSet Set(string name, params BackupSource[] sources) =>
        new(name, sources, [], "bucket", "", RetentionPolicy.Default(TimeZoneInfo.Utc));
}
