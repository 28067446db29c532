using CliWrap;
using CliWrap.Buffered;
using FluentAssertions;
using Pipeline.Engine;
using Pipeline.IntegrationTests.Packaging;
using Pipeline.Monitoring;
using Pipeline.Tools.Process;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Pipeline.IntegrationTests.Monitoring;

/// <summary>
/// The rendered monitoring files against Debian's real checkers: <c>promtool check config</c> and <c>check rules</c>
/// (package prometheus), <c>amtool check-config</c> (prometheus-alertmanager), and <c>promtool test rules</c> with
/// rules.test.yml, which makes every default alert rule fire and not fire.
/// </summary>
public sealed class PromtoolTests : IDisposable
{
    /// <summary>The thresholds rules.test.yml is written for.</summary>
    internal static readonly MonitoringDefinition Definition = new(
        "test",
        PrometheusSettings.Default with { Address = "127.0.0.1:29090" },
        ["127.0.0.1:25098"],
        ["127.0.0.1:29100"],
        AlertmanagerSettings.Default,
        new AlertThresholds(TimeSpan.FromMinutes(1), 0.01, TimeSpan.FromMinutes(5), TimeSpan.FromHours(26), TimeSpan.FromHours(1),
            TimeSpan.FromMinutes(2))
    );

    private readonly AbsolutePath _root = new(Path.Combine(Path.GetTempPath(), $"pipeline-monitoring-{Guid.NewGuid():n}"));
    private readonly MonitoringLayout _layout;

    public PromtoolTests()
    {
        _layout = MonitoringLayout.Of(_root / "artifacts", _root / "temp", "test");
        var fileSd = _root / "artifacts" / "deploy" / "test-web.file_sd.json";
        Directory.CreateDirectory(fileSd.Parent);
        File.WriteAllText(fileSd, """[{"targets":["127.0.0.1:25101"],"labels":{"env":"test","group":"web","job":"test-web"}}]""");
        MonitoringRenderer.Write(MonitoringRenderer.Render(Definition, [new("web", fileSd, "web")], _layout), _layout);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task<BufferedCommandResult> Run(Tool tool, IReadOnlyList<string> arguments)
    {
        ToolCheck.Missing([tool]).Should().BeEmpty($"{tool} is declared in TestTools: run ./build.sh Prerequisites");
        return await Cli.Wrap(tool.Command).WithArguments(arguments).WithValidation(CommandResultValidation.None)
            .RunBufferedAsync(TimeSpan.FromMinutes(2));
    }

    private static void ShouldPass(BufferedCommandResult result, string what) =>
        result.ExitCode.Should().Be(0, $"{what} failed:\n{result.StandardOutput}{result.StandardError}");

    [Fact]
    public async Task Promtool_accepts_the_rendered_prometheus_config_and_its_rules()
    {
        var config = await Run(MonitoringTools.Promtool, MonitoringTools.CheckConfig(_layout.PrometheusConfig));
        ShouldPass(config, "promtool check config");
        config.StandardOutput.Should().Contain("SUCCESS: 1 rule files found");

        var rules = await Run(MonitoringTools.Promtool, MonitoringTools.CheckRules(_layout.Rules));
        ShouldPass(rules, "promtool check rules");
        rules.StandardOutput.Should().Contain($"SUCCESS: {DefaultAlertRules.For(Definition).Count} rules found");
    }

    [Fact]
    public async Task Amtool_accepts_the_rendered_alertmanager_config_with_its_slack_receiver()
    {
        var result = await Run(MonitoringTools.Amtool, MonitoringTools.CheckAlertmanager(_layout.AlertmanagerConfig));

        ShouldPass(result, "amtool check-config");
        result.StandardOutput.Should().Contain("1 receivers");
    }

    [Fact]
    public async Task Every_default_rule_fires_and_stays_quiet_as_promtool_test_rules_expects()
    {
        File.Copy(TestFile, _layout.Output / "rules.test.yml");

        var result = await Run(MonitoringTools.Promtool, MonitoringTools.TestRules(_layout.Output / "rules.test.yml"));

        ShouldPass(result, "promtool test rules");
        result.StandardOutput.Should().Contain("SUCCESS");
    }

    [Fact]
    public async Task Promtool_test_rules_fails_when_a_threshold_differs_from_what_the_test_expects()
    {
        var looser = Definition with { Alerts = Definition.Alerts with { BackupMaxAge = TimeSpan.FromHours(30) } };
        File.WriteAllText(_layout.Rules, DefaultAlertRules.Render(looser, DefaultAlertRules.For(looser)));
        File.Copy(TestFile, _layout.Output / "rules.test.yml");

        var result = await Run(MonitoringTools.Promtool, MonitoringTools.TestRules(_layout.Output / "rules.test.yml"));

        result.ExitCode.Should().NotBe(0);
        (result.StandardOutput + result.StandardError).Should().Contain("BackupTooOld");
    }

    [Fact]
    public void The_rules_test_covers_every_default_rule_firing_and_not_firing()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(TestFile)));
        var cases = ((YamlSequenceNode)stream.Documents[0].RootNode["tests"])
            .SelectMany(t => (YamlSequenceNode)t["alert_rule_test"])
            .Select(c => (Name: c["alertname"].ToString(), Fires: ((YamlSequenceNode)c["exp_alerts"]).Children.Count > 0))
            .ToList();

        foreach (var rule in DefaultAlertRules.For(Definition))
        {
            cases.Should().Contain((rule.Name, true), $"{rule.Name} needs a case where it fires");
            cases.Should().Contain((rule.Name, false), $"{rule.Name} needs a case where it does not fire");
        }
    }

    private static string TestFile =>
        Path.Combine(RepositoryRoot.Path, "tests", "Pipeline.IntegrationTests", "Monitoring", "rules.test.yml");
}
