using System.Security.Cryptography;
using System.Text.Json;

namespace Pipeline.Tools.Registry;

/// <summary>A manifest exactly as the registry stored it: its bytes decide its digest, so they are kept verbatim.</summary>
public sealed record Manifest(string MediaType, string Digest, byte[] Content)
{
    public static string DigestOf(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The config digest (for an image manifest: the image id the engine shows).</summary>
    public string? ConfigDigest
    {
        get
        {
            using var doc = JsonDocument.Parse(Content);
            return doc.RootElement.TryGetProperty("config", out var config) && config.TryGetProperty("digest", out var d)
                ? d.GetString()
                : null;
        }
    }

    /// <summary>The blobs an image manifest references (config first, then layers); the child manifests of an index.</summary>
    public IReadOnlyList<string> References
    {
        get
        {
            using var doc = JsonDocument.Parse(Content);
            var root = doc.RootElement;
            var list = new List<string>();
            if (root.TryGetProperty("config", out var config) && config.TryGetProperty("digest", out var c)) list.Add(c.GetString()!);
            foreach (var key in new[] { "layers", "manifests" })
                if (root.TryGetProperty(key, out var items) && items.ValueKind == JsonValueKind.Array)
                    foreach (var item in items.EnumerateArray())
                        if (item.TryGetProperty("digest", out var d)) list.Add(d.GetString()!);
            return list;
        }
    }

    public bool IsIndex => ManifestMediaTypes.IsIndex(MediaType);
}

/// <summary>What a HEAD of a manifest tells: digest, media type and size.</summary>
public sealed record ManifestHead(string Digest, string MediaType, long Size);
