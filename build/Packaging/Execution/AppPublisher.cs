using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Process;

namespace Pipeline.Packaging.Execution;

/// <summary>Publishes an app into a clean folder and returns the bytes of its executable.</summary>
public sealed class AppPublisher
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    public async Task<byte[]> PublishAsync(
        string project,
        string version,
        string outputDirectory,
        string executable,
        CancellationToken cancellationToken
    )
    {
        if (Directory.Exists(outputDirectory)) Directory.Delete(outputDirectory, recursive: true);
        await Cli.Wrap("dotnet")
            .WithArguments(PublishCommand.Arguments(project, version, outputDirectory))
            .WithEnvironment("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
            .WithEnvironment("DOTNET_NOLOGO", "1")
            .WithStandardOutputPipe(ProcessText.Lines(line => Log.Debug(line)))
            .RunBufferedAsync(Timeout, cancellationToken);

        var path = Path.Combine(outputDirectory, executable);
        return File.Exists(path)
            ? await File.ReadAllBytesAsync(path, cancellationToken)
            : throw new PipelineException(
                $"dotnet publish {project} produced no '{executable}' in {outputDirectory} (check 'executable' in package.yml)"
            );
    }

    /// <summary>The SDK version, part of the inputs: another SDK may publish other bytes.</summary>
    public static async Task<string> SdkVersionAsync(string workingDirectory, CancellationToken cancellationToken) =>
        (await Cli.Wrap("dotnet").WithArguments(["--version"]).WithWorkingDirectory(workingDirectory)
            .WithEnvironment("DOTNET_NOLOGO", "1").RunBufferedAsync(cancellationToken)).StandardOutput.Trim();
}
