using Pipeline.Engine;
using System.Security.Cryptography;

namespace Pipeline.Packaging.Execution;

/// <summary>
/// What the last build of a package left, kept under .nuke/temp/packages/: the inputs hash, the file it
/// wrote, that file's SHA-256 and length. Up to date means same inputs and the file still there, unchanged.
/// </summary>
public sealed record PackageState(string InputsHash, string FileName, string Sha256, long? Length = null)
{
    /// <summary>When the state file was written (read back), the moment after which a change of the package shows.</summary>
    public DateTime Written { get; private init; } = DateTime.MaxValue;

    public static PackageState? Read(string path)
    {
        if (!File.Exists(path)) return null;
        var values = File.ReadAllLines(path).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        return
            values.TryGetValue("inputs", out var inputs)
            && values.TryGetValue("file", out var file)
            && values.TryGetValue("sha256", out var sha)
            ? new PackageState(inputs, file, sha, values.TryGetValue("length", out var l) && long.TryParse(l, out var n) ? n : null)
            {
                Written = File.GetLastWriteTimeUtc(path),
            }
            : null;
    }

    public void Write(string path) =>
        AtomicFile.Write(
            path,
            System.Text.Encoding.UTF8.GetBytes(
                $"inputs={InputsHash}\nfile={FileName}\nsha256={Sha256}\n{(Length is { } n ? $"length={n}\n" : "")}"
            )
        );

    public bool Matches(string inputsHash, IEnumerable<string> directories) =>
        InputsHash == inputsHash && directories.All(directory => HasFile(Path.Combine(directory, FileName), Written));

    /// <summary>Unchanged: same length, and not written since the state was (the state is written after the file), or else
    /// the same SHA-256. A no-op run then reads no package.</summary>
    private bool HasFile(string path, DateTime stateWritten)
    {
        if (AtomicFile.UnchangedSince(path, Length, stateWritten)) return true;
        if (!File.Exists(path)) return false;
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream)) == Sha256;
    }
}
