using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Pipeline.Clustering;

/// <summary>
/// Content addressing for ClusterTest: a hash over the images' input hashes (artifacts/images.json), every file of
/// environments/virtual/ and the extra test project. When the same inputs already passed, the run is up to date.
/// </summary>
public sealed class ClusterStamp(string imagesManifest, string virtualDirectory, string stampFile, string? clusterTests)
{
    public string Compute()
    {
        var text = new StringBuilder();
        using (var manifest = JsonDocument.Parse(File.ReadAllText(imagesManifest)))
            foreach (
                var image in manifest
                    .RootElement.GetProperty("images")
                    .EnumerateArray()
                    .Select(i => $"{i.GetProperty("name").GetString()}={i.GetProperty("inputHash").GetString()}")
                    .Order(StringComparer.Ordinal)
            )
                text.AppendLine(image);
        foreach (var file in Directory.GetFiles(virtualDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            text.AppendLine(
                $"{Path.GetRelativePath(virtualDirectory, file)}={Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))}"
            );
        text.AppendLine($"tests={clusterTests}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>When the recorded passing run had the same inputs: its time; otherwise null.</summary>
    public DateTime? PassedAt(string hash) =>
        File.Exists(stampFile) && File.ReadAllText(stampFile).Trim() == hash ? File.GetLastWriteTimeUtc(stampFile) : null;

    public void RecordPass(string hash)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(stampFile)!);
        File.WriteAllText(stampFile, hash);
    }
}
