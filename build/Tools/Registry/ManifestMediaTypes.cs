namespace Pipeline.Tools.Registry;

/// <summary>The manifest media types a registry may answer with; HEAD/GET send them all in <c>Accept</c>.</summary>
public static class ManifestMediaTypes
{
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>Every type, in the order of preference a client states (the registry serves what it stored).</summary>
    public static readonly IReadOnlyList<string> All = [DockerManifest, DockerManifestList, OciManifest, OciIndex];

    public static bool IsIndex(string mediaType) => mediaType is DockerManifestList or OciIndex;
}
