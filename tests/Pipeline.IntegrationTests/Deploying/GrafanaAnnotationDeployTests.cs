using FluentAssertions;
using Pipeline.IntegrationTests.Monitoring;
using System.Text.Json;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// Deploy's Grafana annotations end to end: the build as a process deploys a group of two stand-in containers behind a real
/// HAProxy, then a bad v2 that rolls back, with <c>monitoring/grafana</c> pointing at <see cref="FakeGrafanaApi"/>; each
/// audit record has its annotation with the right tags and times, and a refused token leaves the deploy's result as it was.
/// Ports 25780–25789 (the fake: LocalHttpServer's 24000–24999).
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class GrafanaAnnotationDeployTests(DeployFixture fixture)
{
    private const string Policy = """
              batch: 1
              min_healthy_percent: 50
              warmup: 1s
              bake: 1s
              drain_timeout: 5s
              stop_timeout: 5s
              on_failure: rollback
        """;

    [Fact]
    public async Task Each_group_deploy_and_its_rollback_become_annotations_and_a_refused_token_is_only_a_warning()
    {
        using var grafana = new FakeGrafanaApi();
        await using var env = new TestEnvironment(fixture, "test-deploy-grafana", 25780, 2, Policy);
        File.AppendAllText(Path.Combine(env.Root, "environments", "test-deploy-grafana.yml"),
            $"monitoring:\n  grafana: {{ url: \"{grafana.Url}\", dashboard_uid: deploys }}\n");
        await env.StartAsync();

        env.Publish(fixture.V1);
        var first = await env.RunAsync("Deploy", "--grafana-token", FakeGrafanaApi.Token);
        first.ExitCode.Should().Be(0, TestEnvironment.Output(first));
        env.Publish(fixture.BadV2);
        var second = await env.RunAsync("Deploy", "--grafana-token", FakeGrafanaApi.Token);
        second.ExitCode.Should().Be(1, TestEnvironment.Output(second));

        var audit = File.ReadAllLines(Path.Combine(env.Root, "artifacts", "deploy", "audit.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var annotations = grafana.Annotations();
        annotations.Should().HaveCount(2);
        foreach (var (record, annotation) in audit.Zip(annotations))
        {
            annotation["time"]!.GetValue<long>().Should().Be(record.GetProperty("started_at").GetDateTimeOffset().ToUnixTimeMilliseconds());
            annotation["timeEnd"]!.GetValue<long>().Should()
                .Be(record.GetProperty("finished_at").GetDateTimeOffset().ToUnixTimeMilliseconds());
            annotation["dashboardUID"]!.GetValue<string>().Should().Be("deploys");
            annotation["text"]!.GetValue<string>().Should().StartWith("web ").And.EndWith($"({record.GetProperty("result").GetString()})");
        }
        annotations[0]["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Should()
            .Equal("pipeline", "deploy", "test-deploy-grafana", "web");
        annotations[1]["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Should()
            .Equal("pipeline", "deploy", "test-deploy-grafana", "web", "rollback");
        annotations[1]["text"]!.GetValue<string>().Should().EndWith("(rolled back)");

        env.Publish(fixture.V1);
        var refused = await env.RunAsync("Deploy", "--grafana-token", "glsa_wrong-token");
        refused.ExitCode.Should().Be(0, TestEnvironment.Output(refused));
        TestEnvironment.Output(refused).Should().Contain("Grafana annotation of web not sent, the deploy result stands")
            .And.Contain("check GrafanaToken").And.NotContain("glsa_wrong-token");
        grafana.Annotations().Should().HaveCount(2);
    }
}
