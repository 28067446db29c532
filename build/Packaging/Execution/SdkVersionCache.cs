using Pipeline.Engine;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Packaging.Execution;

/// <summary>
/// The SDK version that <c>dotnet --version</c> reports in the repository root (part of every package's inputs), remembered in
/// <paramref name="File"/> under a key made of what decides it: the <c>dotnet</c> found on PATH (its real path), the SDKs
/// installed beside it (the names and modification time of its <c>sdk/</c> folder) and the root's <c>global.json</c>. A
/// no-op Packages then starts no <c>dotnet</c> process (each costs about a bare app's start); installing or removing an
/// SDK, another <c>dotnet</c> first on PATH, or an edited global.json asks <c>dotnet --version</c> again.
/// </summary>
public sealed record SdkVersionCache(AbsolutePath File)
{
    public async Task<string> ReadAsync(AbsolutePath root, CancellationToken ct)
    {
        var key = Key(root);
        if (key is not null && File.Exists && (await System.IO.File.ReadAllLinesAsync(File, ct)) is [var cached, var remembered]
            && cached == key)
            return remembered;
        var version = await AppPublisher.SdkVersionAsync(root, ct);
        if (key is not null) AtomicFile.Write(File, Encoding.UTF8.GetBytes($"{key}\n{version}\n"));
        return version;
    }

    /// <summary>What decides the SDK version, as one line; null when no <c>dotnet</c> is on PATH (then nothing is
    /// remembered, and <c>dotnet --version</c> says what is wrong).</summary>
    public static string? Key(AbsolutePath root)
    {
        var dotnet = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "dotnet"))
            .FirstOrDefault(System.IO.File.Exists);
        if (dotnet is null) return null;
        var real = System.IO.File.ResolveLinkTarget(dotnet, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(dotnet);
        var sdk = Path.Combine(Path.GetDirectoryName(real)!, "sdk");
        var installed = Directory.Exists(sdk)
            ? string.Join(',', Directory.GetDirectories(sdk).Select(Path.GetFileName).Order(StringComparer.Ordinal))
              + "@" + Directory.GetLastWriteTimeUtc(sdk).Ticks
            : "none";
        var globalJson = root / "global.json";
        var pinned = globalJson.Exists ? Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(globalJson))) : "none";
        return $"{real} sdk {installed} global.json {pinned}";
    }
}
