using FluentAssertions;
using Pipeline.Acme;
using Pipeline.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Pipeline.Monitoring;
using Pipeline.Tests.Deploying;
using System.Text.RegularExpressions;
using Xunit;

namespace Pipeline.Tests.Monitoring;

public sealed class FreshnessMetricsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-metrics-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly MetricFamily[] Families = [new("x_seconds", "X."), new("y_total", "Y.", "counter")];

    [Fact]
    public void A_write_replaces_the_lines_of_its_subjects_keeps_the_others_and_leaves_no_temporary_file()
    {
        var file = Path.Combine(_dir, "x.prom");
        TextfileMetrics.Write(file, Families, [new("x_seconds", [("set", "a")], 1), new("x_seconds", [("set", "b")], 2)], "set");

        TextfileMetrics.Write(file, Families, [new("x_seconds", [("set", "b")], 3), new("y_total", [("set", "b")], 4)], "set");

        File.ReadAllText(file).Should().Be("""
            # HELP x_seconds X.
            # TYPE x_seconds gauge
            x_seconds{set="a"} 1
            x_seconds{set="b"} 3
            # HELP y_total Y.
            # TYPE y_total counter
            y_total{set="b"} 4

            """.ReplaceLineEndings("\n"));
        Directory.GetFiles(_dir).Should().Equal(file);
        TextfileMetrics.ValueOf(File.ReadAllText(file), "y_total", "set", "b").Should().Be(4);
    }

    [Fact]
    public void Label_values_are_escaped() =>
        new MetricSample("x", [("cert", "a\"b\\c")], 1.5).Line().Should().Be("x{cert=\"a\\\"b\\\\c\"} 1.5");

    /// <summary>A deploy of V2 over a web-1 that ran V1.</summary>
    private static DeployOutcome Outcome(bool succeeded, bool rolledBack, int finishedAt) => new(
        "d-1", succeeded, rolledBack, "m", new GroupPlan(GroupPlanTests.Group(), GroupPlanTests.V2,
            [new(ChangeKind.Replace, "web-1", 1, GroupPlanTests.V1, GroupPlanTests.V2)]),
        DateTimeOffset.FromUnixTimeSeconds(finishedAt - 60), DateTimeOffset.FromUnixTimeSeconds(finishedAt));

    [Fact]
    public void Deploy_metrics_record_time_result_rollback_count_and_what_runs()
    {
        DeployMetrics.Write(_dir, "local", [Outcome(false, true, 1_000)]);
        DeployMetrics.Write(_dir, "local", [Outcome(false, true, 2_000)]);

        var text = File.ReadAllText(DeployMetrics.File(_dir, "local"));
        text.Should().Contain("pipeline_deploy_last_timestamp_seconds{env=\"local\",group=\"web\"} 2000\n")
            .And.Contain("pipeline_deploy_last_succeeded{env=\"local\",group=\"web\"} 0\n")
            .And.Contain("pipeline_deploy_last_rolled_back{env=\"local\",group=\"web\"} 1\n")
            .And.Contain("pipeline_deploy_rollbacks_total{env=\"local\",group=\"web\"} 2\n")
            .And.Contain($"pipeline_deploy_info{{env=\"local\",group=\"web\",image=\"{GroupPlanTests.V1}\",deploy_id=\"d-1\"}} 1\n",
                "after a rollback the group runs the image it went back to");

        DeployMetrics.Write(_dir, "local", [Outcome(true, false, 3_000)]);
        File.ReadAllText(DeployMetrics.File(_dir, "local")).Should()
            .Contain("pipeline_deploy_last_rolled_back{env=\"local\",group=\"web\"} 0\n")
            .And.Contain("pipeline_deploy_rollbacks_total{env=\"local\",group=\"web\"} 2\n")
            .And.Contain($"pipeline_deploy_info{{env=\"local\",group=\"web\",image=\"{GroupPlanTests.V2}\",deploy_id=\"d-1\"}} 1\n");
    }

    [Fact]
    public void The_lock_metric_exists_only_while_a_deploy_runs()
    {
        DeployMetrics.LockTaken(_dir, "local", DateTimeOffset.FromUnixTimeSeconds(1_234));
        File.ReadAllText(DeployMetrics.LockFile(_dir, "local")).Should()
            .Contain("pipeline_deploy_lock_held_since_timestamp_seconds{env=\"local\"} 1234\n");

        DeployMetrics.LockReleased(_dir, "local");
        File.Exists(DeployMetrics.LockFile(_dir, "local")).Should().BeFalse();
    }

    [Fact]
    public void Certificate_metrics_give_expiry_and_renewal_window_start_of_each_certificate_of_the_sets()
    {
        var definition = CertificatesDefinitionLoader.Load(DefinitionFile.Parse("""
            certificates:
              directory: https://ca.example/dir
              sets: [{ names: [a.example.com] }]
            """, "environments/test.yml", _ => null), "test");
        var state = AcmeState.Empty
            .With(new CertificateState(["a.example.com"], KeyType.EcP256, "https://ca.example/dir", "C", "K",
                DateTimeOffset.FromUnixTimeSeconds(0), DateTimeOffset.FromUnixTimeSeconds(90 * 86_400), DateTimeOffset.UnixEpoch))
            .With(new CertificateState(["gone.example.com"], KeyType.EcP256, "https://ca.example/dir", "C", "K",
                DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch));

        CertificateMetrics.Write(_dir, "test", definition, state);

        File.ReadAllText(CertificateMetrics.File(_dir, "test")).Should()
            .Contain("pipeline_certificate_expiry_timestamp_seconds{env=\"test\",cert=\"a.example.com\"} 7776000\n")
            .And.Contain("pipeline_certificate_renewal_window_start_timestamp_seconds{env=\"test\",cert=\"a.example.com\"} 5184000\n")
            .And.NotContain("gone.example.com");
    }

    [Fact]
    public void Cluster_test_and_publish_record_their_last_success()
    {
        StepMetrics.ClusterTestPassed(_dir, DateTimeOffset.FromUnixTimeSeconds(10));
        StepMetrics.ClusterTestPassed(_dir, DateTimeOffset.FromUnixTimeSeconds(20));
        StepMetrics.Published(_dir, "local", ["local"], DateTimeOffset.FromUnixTimeSeconds(30));

        File.ReadAllText(StepMetrics.ClusterTestFile(_dir)).Should().EndWith("\npipeline_cluster_test_last_pass_timestamp_seconds 20\n");
        File.ReadAllText(StepMetrics.PublishFile(_dir, "local")).Should()
            .Contain("pipeline_publish_last_push_timestamp_seconds{env=\"local\",registry=\"local\"} 30\n");
    }

    [Fact]
    public void Every_metric_a_default_rule_reads_is_written_by_a_step_or_exported_by_haproxy_or_prometheus()
    {
        var written = new[]
            {
                DeployMetrics.Families, DeployMetrics.LockFamilies, CertificateMetrics.Families, Pipeline.Backups.BackupMetrics.Families,
                StepMetrics.ClusterTestFamilies, StepMetrics.PublishFamilies,
            }
            .SelectMany(f => f).Select(f => f.Name)
            .Concat([MetricNames.Up, MetricNames.HaproxyResponses]);

        var read = DefaultAlertRules.For(MonitoringRenderTests.Definition)
            .SelectMany(r => Regex.Matches(r.Expression, @"([a-z_]+)\{").Select(m => m.Groups[1].Value));

        read.Should().OnlyContain(name => written.Contains(name));
    }
}
