using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Pipeline.Clustering;

/// <summary>
/// Content addressing for ClusterTest: a hash over the images' input hashes (artifacts/images.json), every file of
/// environments/virtual/ and the extra test project (as given). When the same inputs already passed, the run is up
/// to date; the pass is recorded in the layout's stamp (<c>.nuke/temp/cluster/passed.stamp</c>).
/// </summary>
public sealed class ClusterStamp(ClusterLayout layout, string? clusterTests)
{
    public string Compute()
    {
        var text = new StringBuilder();
        using (var manifest = JsonDocument.Parse(File.ReadAllText(layout.ImagesManifest)))
            foreach (
                var image in manifest
                    .RootElement.GetProperty("images")
                    .EnumerateArray()
                    .Select(i => $"{i.GetProperty("name").GetString()}={i.GetProperty("inputHash").GetString()}")
                    .Order(StringComparer.Ordinal)
            )
                text.AppendLine(image);
        foreach (var file in Directory.GetFiles(layout.VirtualEnvironment, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            text.AppendLine(
                $"{Path.GetRelativePath(layout.VirtualEnvironment, file)}={Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))}"
            );
        text.AppendLine($"tests={clusterTests}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>When the recorded passing run had the same inputs: its time; otherwise null.</summary>
    public DateTime? PassedAt(string hash) =>
        File.Exists(layout.PassedStamp) && File.ReadAllText(layout.PassedStamp).Trim() == hash
            ? File.GetLastWriteTimeUtc(layout.PassedStamp)
            : null;

    public void RecordPass(string hash)
    {
        layout.StateDirectory.CreateDirectory();
        File.WriteAllText(layout.PassedStamp, hash);
    }
}
