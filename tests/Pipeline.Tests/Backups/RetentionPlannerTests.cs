using FluentAssertions;
using Pipeline.Backups;
using Xunit;

namespace Pipeline.Tests.Backups;

public sealed class RetentionPlannerTests
{
    private static SnapshotRef At(string utc) =>
        new("s", utc, DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), 0);
    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    [Fact]
    public void Keeps_the_last_n_and_the_newest_of_each_recent_day()
    {
        var snapshots = new[]
        {
            "2026-11-20T08:00Z",
            "2026-11-20T20:00Z",
            "2026-11-21T08:00Z",
            "2026-11-21T20:00Z",
            "2026-11-22T08:00Z",
        }.Select(At);

        var kept = RetentionPlanner
            .Plan(snapshots, new RetentionPolicy(1, 2, 0, 0, TimeZoneInfo.Utc))
            .Where(d => d.Keep)
            .Select(d => d.Snapshot.Id);

        kept.Should().Equal("2026-11-22T08:00Z", "2026-11-21T20:00Z");
    }

    [Fact]
    public void Days_follow_the_configured_time_zone_not_UTC()
    {
        // 23:30 UTC on the 21st is already 00:30 on the 22nd in Berlin, so in Berlin the three span two days.
        var snapshots = new[] { "2026-11-21T22:00Z", "2026-11-21T23:30Z", "2026-11-21T12:00Z" }.Select(At).ToList();

        var berlin = RetentionPlanner
            .Plan(snapshots, new RetentionPolicy(0, 2, 0, 0, Zone("Europe/Berlin")))
            .Where(d => d.Keep)
            .Select(d => d.Snapshot.Id);
        var utc = RetentionPlanner
            .Plan(snapshots, new RetentionPolicy(0, 2, 0, 0, TimeZoneInfo.Utc))
            .Where(d => d.Keep)
            .Select(d => d.Snapshot.Id);

        berlin.Should().Equal("2026-11-21T23:30Z", "2026-11-21T22:00Z");
        utc.Should().Equal("2026-11-21T23:30Z");
    }

    [Fact]
    public void Weekly_and_monthly_keep_the_newest_of_each_iso_week_and_month_with_their_reasons()
    {
        var snapshots = new[]
        {
            "2026-09-30T10:00Z",
            "2026-10-31T10:00Z",
            "2026-11-01T10:00Z",
            "2026-11-09T10:00Z",
            "2026-11-10T10:00Z",
        }.Select(At);

        var plan = RetentionPlanner
            .Plan(snapshots, new RetentionPolicy(0, 0, 2, 3, TimeZoneInfo.Utc))
            .ToDictionary(d => d.Snapshot.Id, d => d.Reasons);

        plan["2026-11-10T10:00Z"].Should().Equal("weekly 2026-W46", "monthly 2026-11");
        plan["2026-11-09T10:00Z"].Should().BeEmpty();
        plan["2026-11-01T10:00Z"].Should().Equal("weekly 2026-W44");
        plan["2026-10-31T10:00Z"].Should().Equal("monthly 2026-10");
        plan["2026-09-30T10:00Z"].Should().Equal("monthly 2026-09");
    }

    [Fact]
    public void The_newest_snapshot_is_always_kept()
    {
        var plan = RetentionPlanner.Plan(
            [At("2026-01-01T00:00Z"), At("2026-01-02T00:00Z")],
            new RetentionPolicy(0, 0, 0, 0, TimeZoneInfo.Utc)
        );

        plan.Single(d => d.Keep).Snapshot.Id.Should().Be("2026-01-02T00:00Z");
    }
}
