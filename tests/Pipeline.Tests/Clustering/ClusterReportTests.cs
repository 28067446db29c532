using FluentAssertions;
using Pipeline.Clustering;
using Pipeline.Tools.Docker;
using System.Xml.Linq;
using Xunit;

namespace Pipeline.Tests.Clustering;

public sealed class ClusterReportTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    private static ClusterReport Report(IReadOnlyList<CheckResult> results, string? failure = null, string? logs = null) =>
        new("pipeline-cluster-x", ComposeFlavor.V1, Start, TimeSpan.FromSeconds(12.5), results, failure,
            new Dictionary<string, string> { ["CLUSTER_LB_URL"] = "http://127.0.0.1:26001" }, logs);

    private static readonly CheckResult Up = new("compose up", "phase", true, TimeSpan.FromSeconds(2), "3 containers started");
    private static readonly CheckResult Bad = new(
        "stats | auth",
        "http",
        false,
        TimeSpan.FromMilliseconds(40),
        "expected HTTP 200, got 401:\nnope"
    );

    [Fact]
    public void A_passing_report_lists_every_check_and_the_endpoints()
    {
        var report = Report([Up, new("tcp", "tcp", true, TimeSpan.FromSeconds(0.1), "accepts")]);
        report.Passed.Should().BeTrue();
        var md = report.ToMarkdown();
        md.Should()
            .StartWith("# Cluster test: passed\n")
            .And.Contain("- Checks: 2 of 2 passed")
            .And.Contain("- CLUSTER_LB_URL: http://127.0.0.1:26001")
            .And.Contain("| ✅ | compose up | phase | 2.0 s | 3 containers started |")
            .And.NotContain("Failure");
    }

    [Fact]
    public void A_failing_report_escapes_table_cells_and_points_at_the_logs()
    {
        var md = Report([Up, Bad], logs: "artifacts/cluster/logs").ToMarkdown();
        md.Should()
            .StartWith("# Cluster test: FAILED")
            .And.Contain("| ❌ | stats \\| auth | http | 0.0 s | expected HTTP 200, got 401:<br>nope |")
            .And.Contain("`artifacts/cluster/logs`");
    }

    [Fact]
    public void JUnit_has_one_case_per_check_and_failures_with_their_first_line_as_message()
    {
        var xml = XDocument.Parse(Report([Up, Bad]).ToJUnit());
        var suite = xml.Root!.Element("testsuite")!;
        suite.Attribute("tests")!.Value.Should().Be("2");
        suite.Attribute("failures")!.Value.Should().Be("1");
        suite.Attribute("time")!.Value.Should().Be("12.500");
        var failure = suite.Elements("testcase").Single(c => c.Attribute("name")!.Value == "stats | auth").Element("failure")!;
        failure.Attribute("message")!.Value.Should().Be("expected HTTP 200, got 401:");
        failure.Value.Should().Be("expected HTTP 200, got 401:\nnope");
    }

    [Fact]
    public void A_run_that_failed_outside_any_check_is_still_a_failing_case()
    {
        var xml = XDocument.Parse(Report([Up], failure: "docker-compose up exited with 1").ToJUnit());
        xml.Descendants("failure").Single().Attribute("message")!.Value.Should().Be("docker-compose up exited with 1");
    }

    [Fact]
    public void Judging_an_http_answer_checks_status_json_fields_and_the_body_pattern()
    {
        var check = new HttpCheck(
            "h",
            new ServiceEndpoint("lb", 80),
            "GET",
            "/heartbeat",
            new Dictionary<string, string>(),
            null,
            null,
            200,
            new Dictionary<string, string> { ["message"] = "*", ["instance"] = "app1" },
            "^\\{",
            TimeSpan.FromSeconds(1)
        );
        HttpAnswer Answer(int status, string body) => new(status, body, TimeSpan.Zero, null);

        HttpProbe.Judge(check, Answer(200, """{"message":"ok","instance":"app1","version":"1"}""")).Should().BeNull();
        HttpProbe.Judge(check, Answer(503, "down")).Should().Be("expected HTTP 200, got 503: down");
        HttpProbe.Judge(check, Answer(200, """{"instance":"app1"}""")).Should().StartWith("JSON field 'message' is missing");
        HttpProbe
            .Judge(check, Answer(200, """{"message":"ok","instance":"app2"}"""))
            .Should()
            .Be("JSON field 'instance' is 'app2', expected 'app1'");
        HttpProbe
            .Judge(check with { Json = new Dictionary<string, string>() }, Answer(200, "[1]"))
            .Should()
            .StartWith("the body does not match");
        HttpProbe.Judge(check, new HttpAnswer(0, "", TimeSpan.Zero, "no answer within 1 s")).Should().Be("no answer within 1 s");
    }

    [Fact]
    public void Service_logs_interleave_both_streams_by_timestamp_and_mark_stderr()
    {
        var output = new ContainerOutput(
            "2026-11-22T03:00:01.000Z started\n2026-11-22T03:00:03.000Z served\n",
            "2026-11-22T03:00:02.000Z warning\n"
        );
        ClusterLogs
            .Interleave(output)
            .Should()
            .Be("2026-11-22T03:00:01.000Z started\n2026-11-22T03:00:02.000Z [stderr] warning\n2026-11-22T03:00:03.000Z served\n");
    }

    [Fact]
    public void The_health_history_keeps_changes_only()
    {
        var history = new HealthHistory();
        history.Add(new(Start, "app1", "running", "starting", ""));
        history.Add(new(Start.AddSeconds(1), "app1", "running", "starting", ""));
        history.Add(new(Start.AddSeconds(2), "app1", "running", "healthy", "ok"));
        history.Samples.Should().HaveCount(2);
        history.Render().Should().Contain("2026-11-22T03:00:02.000Z app1         running    healthy    ok");
    }
}
