using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Process;

namespace Pipeline.Monitoring;

/// <summary>Runs the real checkers on rendered files: <c>promtool check config</c> (which checks the rules it names too) and
/// <c>amtool check-config</c>. A refusal fails with the tool's own words.</summary>
public static class MonitoringChecks
{
    public static async Task RunAsync(MonitoringLayout layout, CancellationToken ct)
    {
        await CheckAsync(MonitoringTools.Promtool, MonitoringTools.CheckConfig(layout.PrometheusConfig), layout.PrometheusConfig, ct);
        await CheckAsync(
            MonitoringTools.Amtool, MonitoringTools.CheckAlertmanager(layout.AlertmanagerConfig), layout.AlertmanagerConfig, ct);
    }

    private static async Task CheckAsync(Tool tool, IReadOnlyList<string> arguments, AbsolutePath file, CancellationToken ct)
    {
        var result = await Cli.Wrap(tool.Command).WithArguments(arguments).WithValidation(CommandResultValidation.None)
            .RunBufferedAsync(TimeSpan.FromMinutes(1), ct);
        if (result.ExitCode != 0)
            throw new PipelineException(
                $"{tool.Command} {string.Join(' ', arguments)} refused the rendered {file.Name} (exit {result.ExitCode}): "
                + $"{(result.StandardOutput + result.StandardError).Trim()} Fix the monitoring: section of the environment file.");
    }
}
