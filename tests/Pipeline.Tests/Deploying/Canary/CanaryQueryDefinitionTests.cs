using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Deploying.Canary;
using Pipeline.Deploying.Definitions;
using Xunit;

namespace Pipeline.Tests.Deploying.Canary;

/// <summary><c>rolling/analysis/&lt;name&gt;/{prometheus, queries}</c> read, defaulted to the monitoring: Prometheus, and refused
/// by key path.</summary>
public class CanaryQueryDefinitionTests
{
    private const string Group = """
        groups:
          web:
            provider: docker
            image: heartbeat
            count: 4
            ports: {container: 8080, host_base: 25600}
            load_balancer: {haproxy: {address: '127.0.0.1:25099', backend: web}}
            rolling:
              strategy: canary
              log: 127.0.0.1:25514
              steps: [{weight: 25%, analysis: promql}]
              analysis:
                promql:

        """;

    private static EnvironmentDeployment Parse(string analysis, string extra = "") =>
        EnvironmentDeployment.Parse(Group + analysis + extra, "environments/staging.yml", "staging", _ => null);

    private static CanaryAnalysis Analysis(string analysis, string extra = "") =>
        Parse(analysis, extra).Groups.Single().Canary!.Steps[0].Analysis!;

    [Fact]
    public void Queries_with_bounds_and_placeholders_are_read_with_their_prometheus()
    {
        var analysis = Analysis("""
                      prometheus: 127.0.0.1:29090
                      queries:
                        - {name: error_ratio, query: 'sum(rate(x{server=~"{{canary}}"}[1m]))', max: 0.05}
                        - {name: success, query: 'vector(1)', min: 0.95, max: 1}

            """);

        analysis.Prometheus.Should().Be(new Uri("http://127.0.0.1:29090"));
        analysis.Queries.Should().Equal(new CanaryQuery("error_ratio", "sum(rate(x{server=~\"{{canary}}\"}[1m]))", null, 0.05),
            new CanaryQuery("success", "vector(1)", 0.95, 1));
        analysis.MinSamples.Should().Be(CanaryAnalysis.Default.MinSamples, "the sample settings keep their defaults");
    }

    [Fact]
    public void Without_its_own_prometheus_an_analysis_asks_the_environments_monitoring_prometheus()
    {
        var analysis = Analysis("          queries: [{name: up, query: 'up', min: 1}]\n",
            "monitoring:\n  prometheus: {address: '127.0.0.1:29091'}\n");

        analysis.Prometheus.Should().Be(new Uri("http://127.0.0.1:29091"));
    }

    [Fact]
    public void An_https_url_with_a_path_prefix_is_kept()
    {
        var analysis = Analysis("          prometheus: https://metrics.example.com/prometheus\n"
            + "          queries: [{name: up, query: 'up', min: 1}]\n");

        analysis.Prometheus!.AbsoluteUri.Should().Be("https://metrics.example.com/prometheus");
    }

    [Theory]
    [InlineData("          queries: [{name: up, query: 'up', min: 1}]\n",
        "groups/web/rolling/analysis/promql/queries: queries need a Prometheus: add prometheus: host:port")]
    [InlineData("          prometheus: 'not a host'\n          queries: [{name: up, query: 'up', min: 1}]\n",
        "groups/web/rolling/analysis/promql/prometheus: 'not a host' must be host:port or an http(s) URL")]
    [InlineData("          prometheus: ftp://x:1\n          queries: [{name: up, query: 'up', min: 1}]\n",
        "groups/web/rolling/analysis/promql/prometheus: 'ftp://x:1' must be host:port")]
    [InlineData("          prometheus: 127.0.0.1:9090\n",
        "groups/web/rolling/analysis/promql/prometheus: is only used by queries")]
    [InlineData("          prometheus: 127.0.0.1:9090\n          queries: []\n",
        "groups/web/rolling/analysis/promql/queries: must be a list of checks")]
    [InlineData("          prometheus: 127.0.0.1:9090\n          queries: [{name: up, query: 'up'}]\n",
        "groups/web/rolling/analysis/promql/queries/0: give min:, max: or both")]
    [InlineData("          prometheus: 127.0.0.1:9090\n          queries: [{name: up, query: 'up', min: 2, max: 1}]\n",
        "groups/web/rolling/analysis/promql/queries/0/min: 2 is above max 1")]
    [InlineData("          prometheus: 127.0.0.1:9090\n          queries: [{name: up, query: 'up', max: lots}]\n",
        "groups/web/rolling/analysis/promql/queries/0/max: 'lots' must be a number")]
    [InlineData("          prometheus: 127.0.0.1:9090\n          queries: [{name: 'error ratio', query: 'up', max: 1}]\n",
        "groups/web/rolling/analysis/promql/queries/0/name: 'error ratio' must be letters, digits and '_'")]
    [InlineData("          prometheus: 127.0.0.1:9090\n          queries: [{name: up, query: 'x{s=~\"{{canaries}}\"}', max: 1}]\n",
        "groups/web/rolling/analysis/promql/queries/0/query: unknown placeholder {{canaries}}")]
    [InlineData("          prometheus: 127.0.0.1:9090\n          queries: [{name: up, query: 'x{s=~\"{{canary}\"}', max: 1}]\n",
        "groups/web/rolling/analysis/promql/queries/0/query: has unbalanced '{{' or '}}'")]
    [InlineData("          prometheus: 127.0.0.1:9090\n          queries: [{name: up, query: ' ', max: 1}]\n",
        "groups/web/rolling/analysis/promql/queries/0/query: must not be empty")]
    [InlineData("          prometheus: 127.0.0.1:9090\n          queries: [{name: up, query: up, max: 1}, {name: up, query: up, min: 0}]\n",
        "groups/web/rolling/analysis/promql/queries: query name 'up' is used twice")]
    [InlineData("          prometheus: 127.0.0.1:9090\n          queries: [{name: up, query: up, max: 1, step: 1m}]\n",
        "groups/web/rolling/analysis/promql/queries/0/step: unknown key")]
    public void Bad_query_settings_are_refused_with_their_key_path_and_line(string analysis, string message)
    {
        var act = () => Parse(analysis);

        var error = act.Should().Throw<DefinitionException>().Which;
        error.Message.Should().Contain(message).And.StartWith("environments/staging.yml").And.Contain("(line ");
        error.Message.Should().NotContain("\n");
    }
}
