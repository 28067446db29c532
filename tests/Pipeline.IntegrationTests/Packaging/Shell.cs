using Pipeline.Tools.Process;

namespace Pipeline.IntegrationTests.Packaging;

/// <summary>Runs real tools for the packaging tests and returns what they printed.</summary>
public static class Shell
{
    public static Task<BufferedCommandResult> RunAsync(string program, params string[] arguments) =>
        Cli.Wrap(program).WithArguments(arguments).WithTimeout(TimeSpan.FromMinutes(10)).ExecuteBufferedAsync();

    public static async Task<BufferedCommandResult> TryAsync(string program, params string[] arguments) =>
        await Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandValidation.None)
            .WithTimeout(TimeSpan.FromMinutes(10)).ExecuteBufferedAsync();

    public static async Task<bool> ExistsAsync(string command) =>
        (await TryAsync("sh", "-c", $"command -v {command}")).ExitCode == 0;

    /// <summary>Installs Debian packages whose commands are missing (as root).</summary>
    public static async Task EnsureAptAsync(params (string Command, string Package)[] tools)
    {
        var missing = new List<string>();
        foreach (var (command, package) in tools)
            if (!await ExistsAsync(command)) missing.Add(package);
        if (missing.Count == 0) return;
        await Cli.Wrap("apt-get").WithArguments("update", "-q").WithTimeout(TimeSpan.FromMinutes(5)).ExecuteBufferedAsync();
        await Cli.Wrap("apt-get").WithArguments(["install", "-y", "-q", .. missing])
            .WithEnvironment("DEBIAN_FRONTEND", "noninteractive").WithTimeout(TimeSpan.FromMinutes(10)).ExecuteBufferedAsync();
    }
}
