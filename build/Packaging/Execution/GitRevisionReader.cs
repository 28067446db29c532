using CliWrap;
using CliWrap.Buffered;
using Pipeline.Engine;
using Pipeline.Packaging.Building;
using Pipeline.Tools.Process;
using System.Globalization;

namespace Pipeline.Packaging.Execution;

/// <summary>
/// The revision of an app: the last commit that touched its inputs (so unrelated commits keep it up to date),
/// that commit's time, and whether the inputs differ from it in the work tree. Its git commands run at once (each is a
/// process start; a no-op Packages waits for the slowest, not for their sum).
/// </summary>
public sealed class GitRevisionReader(string repositoryRoot)
{
    public async Task<SourceRevision> ReadAsync(IReadOnlyList<string> inputPaths, CancellationToken cancellationToken)
    {
        var headTask = GitAsync(["rev-parse", "--verify", "--quiet", "HEAD"], cancellationToken, allowFailure: true);
        // Without a HEAD (a new repository, or none) these fail: their answers are read only once HEAD is known.
        var logTask = GitAsync(["log", "-1", "--format=%H %ct", "HEAD", "--", .. inputPaths], cancellationToken, allowFailure: true);
        var statusTask = GitAsync(
            ["status", "--porcelain", "--untracked-files=all", "--", .. inputPaths], cancellationToken, allowFailure: true);
        await Task.WhenAll(headTask, logTask, statusTask);
        var (head, logResult, status) = (headTask.Result, logTask.Result, statusTask.Result);
        if (head.ExitCode == 128)
            throw new PipelineException($"{repositoryRoot}: not a git repository (the package version comes from git)");
        if (head.ExitCode != 0) return SourceRevision.Uncommitted;
        foreach (var result in new[] { logResult, status })
            if (result.ExitCode != 0)
                throw new PipelineException($"git in {repositoryRoot} failed ({result.ExitCode}): {result.StandardError.Trim()}");

        var log = logResult.StandardOutput.Trim();
        if (log.Length == 0) return SourceRevision.Uncommitted;
        var parts = log.Split(' ');
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
