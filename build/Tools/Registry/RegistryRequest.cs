namespace Pipeline.Tools.Registry;

/// <summary>
/// One registry v2 API call, described without sending it: method, path relative to the registry root, the
/// token scopes it needs and the media types it accepts. <see cref="RegistryClient"/> sends them.
/// </summary>
public sealed record RegistryRequest(HttpMethod Method, string Path, IReadOnlyList<string> Scopes)
{
    public IReadOnlyList<string> Accept { get; init; } = [];
    public string? ContentType { get; init; }

    public override string ToString() => $"{Method} /{Path}";
}

/// <summary>The registry v2 calls Pipeline makes (distribution spec paths).</summary>
public static class RegistryRequests
{
    public static RegistryRequest Ping() => new(HttpMethod.Get, "v2/", []);

    public static RegistryRequest HeadManifest(string repository, string reference) =>
        new(HttpMethod.Head, ManifestPath(repository, reference), [RegistryScopes.Pull(repository)]) { Accept = ManifestMediaTypes.All };

    public static RegistryRequest GetManifest(string repository, string reference) =>
        new(HttpMethod.Get, ManifestPath(repository, reference), [RegistryScopes.Pull(repository)]) { Accept = ManifestMediaTypes.All };

    public static RegistryRequest PutManifest(string repository, string reference, string mediaType) =>
        new(HttpMethod.Put, ManifestPath(repository, reference), [RegistryScopes.Push(repository)]) { ContentType = mediaType };

    public static RegistryRequest ListTags(string repository, int? pageSize = null) =>
        new(
            HttpMethod.Get,
            $"v2/{Repository(repository)}/tags/list{(pageSize is { } n ? $"?n={n}" : "")}",
            [RegistryScopes.Pull(repository)]
        );

    public static RegistryRequest HeadBlob(string repository, string digest) =>
        new(HttpMethod.Head, BlobPath(repository, digest), [RegistryScopes.Pull(repository)]);

    public static RegistryRequest GetBlob(string repository, string digest) =>
        new(HttpMethod.Get, BlobPath(repository, digest), [RegistryScopes.Pull(repository)]);

    /// <summary>Cross-repository mount: 201 when the registry linked the blob, 202 (an upload session) when it would not.</summary>
    public static RegistryRequest MountBlob(string repository, string digest, string fromRepository) =>
        new(
            HttpMethod.Post,
            $"v2/{Repository(repository)}/blobs/uploads/?mount={Uri.EscapeDataString(Digest(digest))}&from={Uri.EscapeDataString(Repository(fromRepository))}",
            [RegistryScopes.Push(repository), RegistryScopes.Pull(fromRepository)]
        );

    public static RegistryRequest StartUpload(string repository) =>
        new(HttpMethod.Post, $"v2/{Repository(repository)}/blobs/uploads/", [RegistryScopes.Push(repository)]);

    /// <summary>Completes a monolithic upload at the <c>Location</c> a started upload returned.</summary>
    public static RegistryRequest CompleteUpload(string repository, string location, string digest)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
            location = absolute.PathAndQuery;
        var separator = location.Contains('?') ? "&" : "?";
        return new(
            HttpMethod.Put,
            $"{location.TrimStart('/')}{separator}digest={Uri.EscapeDataString(Digest(digest))}",
            [RegistryScopes.Push(repository)]
        )
        {
            ContentType = "application/octet-stream",
        };
    }

    private static string ManifestPath(string repository, string reference)
    {
        if (!ImageNames.IsTag(reference) && !ImageNames.IsDigest(reference))
            throw new ArgumentException($"'{reference}' is neither a tag nor a sha256 digest.", nameof(reference));
        return $"v2/{Repository(repository)}/manifests/{reference}";
    }

    private static string BlobPath(string repository, string digest) => $"v2/{Repository(repository)}/blobs/{Digest(digest)}";

    private static string Repository(string repository) =>
        ImageNames.IsRepository(repository)
            ? repository
            : throw new ArgumentException($"'{repository}' is not a valid repository name.", nameof(repository));

    private static string Digest(string digest) =>
        ImageNames.IsDigest(digest) ? digest : throw new ArgumentException($"'{digest}' is not a sha256 digest.", nameof(digest));
}
