using CliWrap;
using CliWrap.Buffered;
using Pipeline.Engine;
using Pipeline.Tools.Process;

namespace Pipeline.IntegrationTests.Packaging;

/// <summary>Runs real tools for the packaging tests and returns what they printed.</summary>
public static class Shell
{
    public static Task<BufferedCommandResult> RunAsync(string program, params string[] arguments) =>
        Cli.Wrap(program).WithArguments(arguments).RunBufferedAsync(TimeSpan.FromMinutes(10));

    public static async Task<BufferedCommandResult> TryAsync(string program, params string[] arguments) =>
        await Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None)
            .RunBufferedAsync(TimeSpan.FromMinutes(10));

    public static async Task<bool> ExistsAsync(string command) =>
        (await TryAsync("sh", "-c", $"command -v {command}")).ExitCode == 0;

    /// <summary>
    /// Fails naming the install command when a tool the packaging tests start is missing. <c>./build.sh Test</c>
    /// installs them first (they are declared in <c>TestTools.Started</c>); these tests never run apt-get themselves.
    /// </summary>
    public static void Require(params string[] commands)
    {
        var missing = ToolCheck.Missing(Pipeline.Testing.TestTools.Started.Where(t => commands.Contains(t.Command)));
        if (missing.Count > 0)
            throw new InvalidOperationException($"the packaging tests need {string.Join(", ", missing.Select(t => t.Command))}: " +
                $"run ./build.sh Test (it installs them as root) or {ToolCheck.InstallCommands(missing)}");
    }
}
