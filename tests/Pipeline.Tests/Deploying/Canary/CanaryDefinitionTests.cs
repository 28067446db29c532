using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Deploying.Canary;
using Pipeline.Deploying.Definitions;
using Xunit;

namespace Pipeline.Tests.Deploying.Canary;

/// <summary><c>rolling: {strategy: canary, …}</c> read and refused by key path, and the traffic weights of a step.</summary>
public class CanaryDefinitionTests
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

        """;

    private static EnvironmentDeployment Parse(string extra) =>
        EnvironmentDeployment.Parse(Group + extra, "environments/staging.yml", "staging", _ => null);

    [Fact]
    public void Steps_weights_pauses_and_named_analyses_are_read_with_the_default_analysis_built_in()
    {
        var group = Parse("""
                  log: 127.0.0.1:25514
                  steps: [{weight: 5%, pause: 2m}, {weight: 25%, analysis: default}, {weight: 50%, analysis: strict}]
                  analysis:
                    strict: {significance: 0.001, min_samples: 500, max_wait: 3m, error_budget: 0.5%, latency_tolerance: 1.1}

            """).Groups.Single();

        var canary = group.Canary!;
        canary.Steps.Select(s => s.ToString()).Should().Equal("5% (pause 120s)", "25% (analysis default)", "50% (analysis strict)");
        canary.Steps[1].Analysis.Should().Be(CanaryAnalysis.Default);
        canary.Steps[2].Analysis.Should().Be(new CanaryAnalysis("strict", 0.001, 500, TimeSpan.FromMinutes(3), 0.005, 1.1));
        canary.LogAddress.Should().Be("127.0.0.1:25514");
        canary.Steps.Select(s => s.Instances(4)).Should().Equal(1, 1, 2);
        var baseline = canary.View(group, "baseline");
        baseline.InstanceName(1).Should().Be("web-baseline-1");
        baseline.Ports.HostPort(1).Should().Be(25606, "after the group's 4 ports and the canary's 2");
        canary.View(group, "canary").ContainerName(2).Should().Be("pipeline-staging-web-canary-2");
    }

    [Theory]
    [InlineData("      steps: [{weight: 5}]\n", "groups/web/rolling/steps/0/weight: '5' must be a percentage, e.g. 25%")]
    [InlineData("      steps: [{weight: 0%}]\n", "groups/web/rolling/steps/0/weight: must be between 1% and 100%")]
    [InlineData("      steps: [{weight: 60%}]\n", "groups/web/rolling/steps/0/weight: above 50% the baseline")]
    [InlineData("      steps: [{weight: 5%, pause: soon}]\n", "groups/web/rolling/steps/0/pause:")]
    [InlineData("      log: 127.0.0.1:25514\n      steps: [{weight: 5%, analysis: strict}]\n",
        "groups/web/rolling/steps/0/analysis: unknown analysis 'strict': rolling/analysis defines default (line 11")]
    [InlineData("      steps: [{weight: 5%, analysis: default}]\n", "groups/web/rolling: an analysed step needs log:")]
    [InlineData("      log: 10.0.0.1:514\n      steps: [{weight: 5%}]\n", "groups/web/rolling/log: '10.0.0.1:514' must be a loopback")]
    [InlineData("      steps: [{weight: 5%}]\n      analysis: {default: {significance: 2}}\n",
        "groups/web/rolling/analysis/default/significance: must be between")]
    [InlineData("      steps: []\n", "groups/web/rolling/steps: must be a list of steps")]
    [InlineData("      steps: [{weight: 5%, wait: 1m}]\n",
        "groups/web/rolling/steps/0/wait: unknown key. Allowed: weight, pause, analysis")]
    public void Bad_canary_settings_are_refused_with_their_key_path(string extra, string message)
    {
        var act = () => Parse(extra);

        act.Should().Throw<DefinitionException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void Canary_keys_without_the_canary_strategy_are_refused()
    {
        var text = Group.Replace("strategy: canary", "strategy: rolling") + "      steps: [{weight: 5%}]\n";
        var act = () => EnvironmentDeployment.Parse(text, "environments/staging.yml", "staging", _ => null);

        act.Should().Throw<DefinitionException>().Which.Message.Should().Contain("groups/web/rolling/steps: only for strategy: canary");
    }

    [Theory]
    [InlineData(25, 1, 1, 4, 256, 256, 128)] // 25% + 25% + 4 × 12.5%
    [InlineData(5, 1, 1, 4, 57, 57, 256)] // 5% each, 22.5% per group server
    [InlineData(50, 2, 2, 4, 256, 256, 0)]
    [InlineData(10, 1, 0, 3, 85, 0, 256)] // no baseline: 10% and 3 × 30%
    public void Weights_give_canary_and_baseline_the_steps_share_each(int percent, int canaries, int baselines, int servers,
        int canary, int baseline, int group) =>
        TrafficWeights.For(percent, canaries, baselines, servers).Should().Be(new TrafficWeights(canary, baseline, group));
}
