using FluentAssertions;
using Pipeline.Monitoring;
using Xunit;

namespace Pipeline.Tests.Monitoring;

/// <summary>The delivery arithmetic over audit records as Deploy writes them (audit.jsonl), with a rollback and a halt.</summary>
public sealed class DeliveryMetricsTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-06T12:00:00Z");
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-delivery-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Line(string deploy, string group, string result, string started, double seconds, string? commit)
    {
        var record = new Dictionary<string, object?>
        {
            ["deploy"] = deploy,
            ["environment"] = "prod",
            ["group"] = group,
            ["user"] = "ci",
            ["host"] = "runner",
            ["ci_run"] = null,
            ["result"] = result,
            ["message"] = "…",
            ["changes"] = Array.Empty<object>(),
            ["started_at"] = started,
            ["finished_at"] = DateTimeOffset.Parse(started).AddSeconds(seconds).ToString("O"),
            ["seconds"] = seconds,
        };
        if (commit is not null) record["commit"] = commit;
        return System.Text.Json.JsonSerializer.Serialize(record);
    }

    /// <summary>Five deploys over four days: two groups live at c1; c2 rolled back (restored when the rollback ended, 90 s);
    /// c3 live (c2 and c3 went live with it); c4 halted; c5 live two hours after the halt (its restore).</summary>
    private IReadOnlyList<DeployEvent> Audit()
    {
        var path = Path.Combine(_directory, "audit.jsonl");
        File.WriteAllLines(path,
        [
            Line("d1", "web", "succeeded", "2026-12-02T10:00:00Z", 60, "c1"),
            Line("d1", "api", "succeeded", "2026-12-02T10:01:00Z", 120, "c1"),
            Line("d2", "web", "rolled back", "2026-12-03T10:00:00Z", 90, "c2"),
            Line("d3", "web", "succeeded", "2026-12-04T10:00:00Z", 60, "c3"),
            "not json: a torn line is skipped",
            Line("d4", "web", "halted", "2026-12-05T10:00:00Z", 30, "c4"),
            Line("d5", "web", "succeeded", "2026-12-05T12:00:00Z", 60, "c5"),
            Line("x1", "web", "succeeded", "2026-12-05T12:00:00Z", 60, null).Replace("\"prod\"", "\"staging\""),
        ]);
        return DeliveryHistory.ReadAudit(path);
    }

    /// <summary>The git history: each commit an hour before its deploy started (c2 two hours).</summary>
    private static IReadOnlyList<CommitTime> Commits(string? previous, string commit)
    {
        var at = new Dictionary<string, DateTimeOffset>
        {
            ["c1"] = DateTimeOffset.Parse("2026-12-02T09:00:00Z"),
            ["c2"] = DateTimeOffset.Parse("2026-12-03T08:00:00Z"),
            ["c3"] = DateTimeOffset.Parse("2026-12-04T09:00:00Z"),
            ["c4"] = DateTimeOffset.Parse("2026-12-05T09:00:00Z"),
            ["c5"] = DateTimeOffset.Parse("2026-12-05T11:00:00Z"),
        };
        var order = at.Keys.ToList();
        var from = previous is null ? order.IndexOf(commit) : order.IndexOf(previous) + 1;
        return [.. order.Skip(from).Take(order.IndexOf(commit) - from + 1).Select(c => new CommitTime(c, at[c]))];
    }

    [Fact]
    public void Frequency_lead_time_change_failure_rate_and_time_to_restore_come_from_the_audit_records_and_git()
    {
        var d = DeliveryMetrics.Compute("prod", Audit(), Commits, Now, DeliveryMetrics.DefaultWindow);

        d.Deploys.Select(x => (x.Deploy, x.Result)).Should().Equal(
            ("d1", "succeeded"), ("d2", "rolled back"), ("d3", "succeeded"), ("d4", "halted"), ("d5", "succeeded"));
        d.Deploys[0].Groups.Should().Equal("api", "web");
        // 3 live deploys since 2026-12-02T10:00 (4.08 days before now).
        d.DeploysPerDay.Should().BeApproximately(3 / 4.0833, 0.001);
        d.ChangeFailureRate.Should().Be(0.4);
        // d1: c1 live after 63 min; d3: c2 after 26 h 01 min, c3 after 61 min; d5: c4 after 3 h 01 min, c5 after 61 min.
        d.Deploys[2].LeadTimes.Should().HaveCount(2);
        d.LeadTime.Should().Be(TimeSpan.FromMinutes(63));
        // d2 restored when its rollback ended (90 s); d4 when d5 went live (2 h 01 min).
        d.Deploys[1].Restore.Should().Be(TimeSpan.FromSeconds(90));
        d.Deploys[3].Restore.Should().Be(TimeSpan.FromMinutes(121));
        d.TimeToRestore.Should().Be((TimeSpan.FromSeconds(90) + TimeSpan.FromMinutes(121)) / 2);
    }

    [Fact]
    public void The_page_and_the_textfile_show_the_four_figures_and_every_deploy()
    {
        var d = DeliveryMetrics.Compute("prod", Audit(), Commits, Now, DeliveryMetrics.DefaultWindow);

        DeliveryReport.Write(_directory, _directory, d);

        var page = File.ReadAllText(DeliveryReport.PageFile(_directory, "prod"));
        page.Should().Contain("| Deployment frequency | 0.73 per day |").And.Contain("| Lead time for changes | 1.1 h |")
            .And.Contain("| Change-failure rate | 40% |").And.Contain("| Time to restore | 1 h |")
            .And.Contain("| d2 | web | rolled back |").And.Contain("| 13.5 h (2 commits) |")
            .And.Contain("5 deploys, 3 live, 2 failed (1 rolled back)");
        var samples = TextfileMetrics.Parse(File.ReadAllText(DeliveryReport.MetricsFile(_directory, "prod")));
        samples.Should().Contain(s => s.Name == MetricNames.DeliveryChangeFailureRate && s.Value == 0.4);
        samples.Should().Contain(s => s.Name == MetricNames.DeliveryLeadTime && s.Value == 3780);
        samples.Should().Contain(s => s.Name == MetricNames.DeliveryTimeToRestore && s.Value == 3675);
        samples.Where(s => s.Name == MetricNames.DeliveryDeploys).Select(s => (s.Labels[1].Value, s.Value))
            .Should().Equal(("succeeded", 3.0), ("failed", 2.0));
    }

    [Fact]
    public void Deploys_older_than_the_window_and_an_empty_trail_give_no_figures_but_no_error()
    {
        var d = DeliveryMetrics.Compute("prod", Audit(), Commits, Now.AddDays(60), DeliveryMetrics.DefaultWindow);
        d.Deploys.Should().BeEmpty();
        d.LeadTime.Should().BeNull();
        d.ChangeFailureRate.Should().BeNull();
        DeliveryReport.Samples(d).Select(s => s.Name).Should().NotContain(MetricNames.DeliveryLeadTime);
        DeliveryHistory.ReadAudit(Path.Combine(_directory, "none.jsonl")).Should().BeEmpty();
    }
}
