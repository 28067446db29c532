namespace Pipeline.Publishing;

/// <summary>How a digest reaches its destination without a rebuild.</summary>
public enum PromoteMode
{
    /// <summary>Same registry, same repository: only manifest PUTs under the new tags.</summary>
    Retag,
    /// <summary>Same registry, another repository: blobs mounted across repositories (no bytes move), then the manifest.</summary>
    Mount,
    /// <summary>Another registry: missing blobs copied through this machine, then the manifest.</summary>
    Copy,
}

/// <summary>Pure decisions of Promote.</summary>
public static class PromotePlanner
{
    public static PromoteMode Mode(RegistryDefinition source, string sourceRepository, RegistryDefinition target, string targetRepository)
    {
        var sameRegistry = string.Equals(source.Address, target.Address, StringComparison.OrdinalIgnoreCase);
        if (!sameRegistry) return PromoteMode.Copy;
        return sourceRepository == targetRepository ? PromoteMode.Retag : PromoteMode.Mount;
    }

    /// <summary>The tags the destination gets: the ones published (hash, version, commit) plus the channel, without repeats.</summary>
    public static IReadOnlyList<string> Tags(IReadOnlyList<string> published, string? channel) =>
        published.Concat(string.IsNullOrWhiteSpace(channel) ? [] : [channel]).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The repository name inside the registry from a published reference (<c>host:port/ns/name</c> → <c>ns/name</c>).</summary>
    public static string RepositoryPath(string repositoryReference, string registryAddress)
    {
        var prefix = registryAddress + "/";
        return repositoryReference.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            ? repositoryReference[prefix.Length..]
            : repositoryReference;
    }
}
