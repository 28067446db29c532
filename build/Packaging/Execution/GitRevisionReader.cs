using CliWrap;
using CliWrap.Buffered;
using Pipeline.Engine;
using Pipeline.Packaging.Building;
using Pipeline.Tools.Process;
using System.Globalization;

namespace Pipeline.Packaging.Execution;

/// <summary>
/// The revision of an app: the last commit that touched its inputs (so unrelated commits keep it up to date),
/// that commit's time, and whether the inputs differ from it in the work tree.
/// </summary>
public sealed class GitRevisionReader(string repositoryRoot)
{
    public async Task<SourceRevision> ReadAsync(IReadOnlyList<string> inputPaths, CancellationToken cancellationToken)
    {
        var head = await GitAsync(["rev-parse", "--verify", "--quiet", "HEAD"], cancellationToken, allowFailure: true);
        if (head.ExitCode == 128)
            throw new PipelineException($"{repositoryRoot}: not a git repository (the package version comes from git)");
        if (head.ExitCode != 0) return SourceRevision.Uncommitted;

        var log = (await GitAsync(["log", "-1", "--format=%H %ct", "HEAD", "--", .. inputPaths], cancellationToken)).StandardOutput.Trim();
        if (log.Length == 0) return SourceRevision.Uncommitted;
        var parts = log.Split(' ');

        var status = await GitAsync(["status", "--porcelain", "--untracked-files=all", "--", .. inputPaths], cancellationToken);
        return new SourceRevision(
            parts[0][..7],
            DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture)),
            Dirty: status.StandardOutput.Trim().Length > 0);
    }

    /// <summary>The files git knows or would add (tracked and untracked, ignored ones left out) under the paths, sorted.</summary>
    public async Task<IReadOnlyList<string>> ListFilesAsync(IReadOnlyList<string> inputPaths, CancellationToken cancellationToken)
    {
        var result = await GitAsync(
            ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", .. inputPaths],
            cancellationToken
        );
        return result.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Distinct()
            .Where(path => File.Exists(Path.Combine(repositoryRoot, path)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private Task<BufferedCommandResult> GitAsync(string[] arguments, CancellationToken cancellationToken, bool allowFailure = false) =>
        Cli.Wrap("git").WithArguments(arguments).WithWorkingDirectory(repositoryRoot)
            .WithValidation(allowFailure ? CommandResultValidation.None : CommandResultValidation.ZeroExitCode)
            .RunBufferedAsync(cancellationToken);
}
