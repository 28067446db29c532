using System.Security.Cryptography;
using System.Text;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// <c>hashFiles(patterns…)</c> as GitHub computes it: the files of the workspace that match any pattern (<c>**</c> any folders,
/// <c>*</c> within a name), in path order, each file's SHA-256 hashed again together; '' when nothing matches.
/// </summary>
public static class HashFiles
{
    public static Func<IReadOnlyList<string>, string> Of(string workspace) => patterns =>
    {
        var matchers = patterns.Select(p => new System.Text.RegularExpressions.Regex(
            "^" + System.Text.RegularExpressions.Regex.Escape(p).Replace(@"\*\*/", "(.*/)?").Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*")
            + "$")).ToList();
        var files = Directory.Exists(workspace)
            ? Directory.EnumerateFiles(workspace, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(workspace, f))
                .Where(f => !f.StartsWith(".git/", StringComparison.Ordinal) && matchers.Any(m => m.IsMatch(f)))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        if (files.Count == 0) return "";
        using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files) all.AppendData(SHA256.HashData(File.ReadAllBytes(Path.Combine(workspace, file))));
        return Convert.ToHexStringLower(all.GetHashAndReset());
    };
}
