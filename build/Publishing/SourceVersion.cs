using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Process;

namespace Pipeline.Publishing;

/// <summary>
/// The version of the checked-out source: <c>&lt;semver&gt;+g&lt;sha&gt;</c> from the nearest <c>v*</c> tag
/// (<c>1.4.0+gab12cd3</c> on the tag, <c>1.4.0-dev.3+gab12cd3</c> three commits after it, <c>0.0.0-dev.N+g…</c>
/// without tags), the short commit, and whether the tree had changes.
/// </summary>
public sealed record SourceVersion(string SemVer, string Commit, bool Dirty)
{
    /// <summary>Builds the version from <c>git describe --tags --long</c> output (e.g. <c>v1.4.0-3-gab12cd3</c>).</summary>
    public static SourceVersion FromDescribe(string? describe, string commit, int commitCount, bool dirty)
    {
        var semver = $"0.0.0-dev.{commitCount}";
        if (describe is { Length: > 0 })
        {
            var parts = describe.Trim().Split('-');
            if (parts.Length >= 3 && int.TryParse(parts[^2], out var since))
            {
                var tag = string.Join('-', parts[..^2]).TrimStart('v', 'V');
                semver = since == 0 ? tag : tag.Contains('-') ? $"{tag}.dev.{since}" : $"{tag}-dev.{since}";
            }
        }
        return new SourceVersion($"{semver}+g{commit}{(dirty ? ".dirty" : "")}", commit, dirty);
    }

    /// <summary>
    /// Reads the version with <c>git describe --tags --long --dirty --always</c> and, at the same time, <c>git rev-list
    /// --count HEAD</c>, whose count is used only when there is no version tag yet.
    /// </summary>
    public static async Task<SourceVersion> ReadAsync(AbsolutePath root, CancellationToken ct)
    {
        async Task<string?> Git(params string[] args)
        {
            var result = await Cli.Wrap("git").WithArguments(args).WithWorkingDirectory(root)
                .WithValidation(CommandResultValidation.None).RunBufferedAsync(ct);
            return result.ExitCode == 0 ? result.StandardOutput.Trim() : null;
        }
        // Both at once: the count is needed only without a version tag, and waiting for describe first costs a process start.
        var counting = Git("rev-list", "--count", "HEAD");
        var described = await Git("describe", "--tags", "--long", "--dirty", "--always", "--abbrev=7", "--match", "v[0-9]*") ?? "unknown";
        var dirty = described.EndsWith("-dirty", StringComparison.Ordinal);
        if (dirty) described = described[..^"-dirty".Length];
        var parts = described.Split('-');
        var counted = await counting;
        if (parts.Length >= 3 && parts[^1].StartsWith('g') && int.TryParse(parts[^2], out _))
            return FromDescribe(described, parts[^1][1..], 0, dirty);
        var count = int.TryParse(counted, out var n) ? n : 0;
        return FromDescribe(null, described, count, dirty);
    }
}
