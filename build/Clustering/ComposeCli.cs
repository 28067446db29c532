using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Process;

namespace Pipeline.Clustering;

/// <summary>Runs the compose CLI: v2 (<c>docker compose</c>) when its plugin answers, else Debian's v1 <c>docker-compose</c>.</summary>
public static class ComposeCli
{
    private static ComposeFlavor? Detected;

    /// <summary>Probes once per process: v2's plugin by running it (fast), v1 by finding it on PATH (starting it costs a second).</summary>
    public static async Task<ComposeFlavor> DetectAsync(CancellationToken ct) => Detected ??= await ProbeAsync(ct);

    private static async Task<ComposeFlavor> ProbeAsync(CancellationToken ct)
    {
        if (await AnswersAsync("docker", ComposeCommands.V2Probe, ct)) return ComposeFlavor.V2;
        // v1 is a Python program that takes most of a second to start: being on PATH is enough, `up` reports what fails.
        if (ToolCheck.Which("docker-compose") is not null) return ComposeFlavor.V1;
        throw new PipelineException(
            "neither `docker compose` (v2) nor `docker-compose` (v1) works (install it: ./build.sh Prerequisites, or apt-get install "
            + "docker-compose)"
        );
    }

    /// <summary>Runs one compose command in <paramref name="directory"/>; its output goes to the log and into <paramref
    /// name="transcript"/>.</summary>
    public static async Task<int> RunAsync(
        ComposeCommands compose,
        IReadOnlyList<string> arguments,
        string directory,
        List<string> transcript,
        CancellationToken ct,
        bool quiet = false
    )
    {
        void Line(string line)
        {
            lock (transcript) transcript.Add($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {line}");
            if (!quiet) Log.Information($"    {line}");
        }
        Line($"$ {compose.Display(arguments)}");
        var command = Cli.Wrap(compose.Executable)
            .WithArguments(arguments)
            .WithWorkingDirectory(directory)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(ProcessText.Lines(Line))
            .WithStandardErrorPipe(ProcessText.Lines(Line));
        foreach (var (name, value) in compose.Environment) command = command.WithEnvironment(name, value);
        var result = await command.RunAsync(ct);
        return result.ExitCode;
    }

    private static async Task<bool> AnswersAsync(string executable, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        try
        {
            var result = await Cli.Wrap(executable).WithArguments(arguments).WithValidation(CommandResultValidation.None)
                .RunBufferedAsync(TimeSpan.FromSeconds(30), ct);
            return result.ExitCode == 0;
        }
        catch (CommandException) { return false; } // not installed
    }
}
