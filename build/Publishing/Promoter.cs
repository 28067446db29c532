using Pipeline.Engine;
using Pipeline.Tools.Registry;

namespace Pipeline.Publishing;

/// <summary>
/// Promote: gives a published digest more tags, or copies it to another environment's registry, by manifest:
/// blobs mounted across repositories of one registry (where the registry allows; copied otherwise) or copied between
/// registries, then the same manifest bytes PUT by digest and by tag — so the digest stays the same everywhere.
/// </summary>
public sealed class Promoter(Func<RegistryDefinition, RegistryCredentials?> credentials, RetryPolicy retry)
{
    public async Task<IReadOnlyList<PublishedImage>> PromoteAsync(
        PublishedManifest source, IReadOnlyList<RegistryDefinition> sourceRegistries,
        IReadOnlyList<RegistryDefinition> targets, string? channel, CancellationToken ct)
    {
        var result = new List<PublishedImage>();
        foreach (var entry in source.Images)
        {
            if (entry.Registry is null || entry.Repository is null)
                throw new PipelineException(
                    $"{entry.Name} was saved as an archive, not published to a registry; Promote works on registry digests."
                );
            var from = sourceRegistries.FirstOrDefault(r => r.Name == entry.Registry)
                ?? throw new PipelineException(
                    $"{entry.Name}: registry '{entry.Registry}' of published.json is not in environments/{source.Environment}.yml "
                    + $"(registries/)."
                );
            foreach (var target in targets)
                result.Add(await PromoteOneAsync(entry, from, target, PromotePlanner.Tags(entry.Tags, channel), ct));
        }
        return result;
    }

    private async Task<PublishedImage> PromoteOneAsync(
        PublishedImage entry,
        RegistryDefinition from,
        RegistryDefinition to,
        IReadOnlyList<string> tags,
        CancellationToken ct
    )
    {
        var sourceRepository = PromotePlanner.RepositoryPath(entry.Repository!, from.Address);
        var targetRepository = to.RepositoryOf(entry.Name);
        var mode = PromotePlanner.Mode(from, sourceRepository, to, targetRepository);
        using var source = new RegistryClient(from.Endpoint, credentials(from));
        using var target = mode == PromoteMode.Copy ? new RegistryClient(to.Endpoint, credentials(to)) : null;
        var destination = target ?? source;

        var stats = new Stats();
        try
        {
            var manifest = await CopyManifestAsync(source, sourceRepository, destination, targetRepository, entry.Digest, mode, stats, ct);
            var missing = new List<string>();
            foreach (var tag in tags)
            {
                var head = await retry.ExecuteAsync(
                    $"head {targetRepository}:{tag}",
                    c => destination.HeadManifestAsync(targetRepository, tag, c),
                    ct
                );
                if (head?.Digest != manifest.Digest) missing.Add(tag);
            }
            await Task.WhenAll(
                missing.Select(tag =>
                    retry.ExecuteAsync(
                        $"tag {targetRepository}:{tag}",
                        c => destination.PutManifestAsync(targetRepository, tag, manifest, c),
                        ct
                    )
                )
            );
            var reference = to.RepositoryReference(entry.Name);
            Log.Information(
                $"{entry.Name}: {entry.Reference} → {reference}@{manifest.Digest} ({mode.ToString().ToLowerInvariant()}: "
                    + $"{stats.Mounted} blobs mounted, {stats.Copied} copied, {stats.Present} already there; tagged "
                        + $"{(missing.Count == 0 ? "nothing new" : string.Join(", ", missing))})"
            );
            return new PublishedImage(
                entry.Name,
                entry.InputHash,
                to.Name,
                reference,
                manifest.Digest,
                tags,
                $"{reference}@{manifest.Digest}"
            )
            {
                Status = "promoted",
            };
        }
        catch (RegistryAuthenticationException e)
        {
            throw PublishFailures.Authentication(e.Registry == to.Address ? to : from, $"{(int)e.Status} {e.Status}");
        }
    }

    /// <summary>Makes the manifest (and, for an index, its children) and its blobs exist in the destination; returns it.</summary>
    private async Task<Manifest> CopyManifestAsync(
        RegistryClient source,
        string sourceRepository,
        RegistryClient destination,
        string targetRepository,
        string digest,
        PromoteMode mode,
        Stats stats,
        CancellationToken ct
    )
    {
        var manifest = await retry.ExecuteAsync(
            $"get manifest {sourceRepository}@{digest}",
            c => source.GetManifestAsync(sourceRepository, digest, c),
            ct
        )
            ?? throw new PipelineException(
                $"{source.Endpoint.Address}/{sourceRepository}@{digest} is not in the registry (was it deleted?); run Publish again."
            );
        if (mode == PromoteMode.Retag) return manifest;
        if (
            await retry.ExecuteAsync(
                $"head {targetRepository}@{digest}",
                c => destination.HeadManifestAsync(targetRepository, digest, c),
                ct
            )
            is not null
        )
        {
            stats.Present += manifest.References.Count;
            return manifest;
        }
        foreach (var child in manifest.References)
        {
            if (manifest.IsIndex)
            {
                await CopyManifestAsync(source, sourceRepository, destination, targetRepository, child, mode, stats, ct);
                continue;
            }
            await retry.ExecuteAsync($"blob {child[..19]}", async c =>
            {
                if (await destination.BlobExistsAsync(targetRepository, child, c)) { stats.Present++; return; }
                if (mode == PromoteMode.Mount && await destination.MountBlobAsync(targetRepository, child, sourceRepository, c))
                {
                    stats.Mounted++;
                    return;
                }
                var bytes = await source.GetBlobAsync(sourceRepository, child, c);
                if (Manifest.DigestOf(bytes) != child)
                    throw new PipelineException($"{sourceRepository}@{child}: the blob read back has another digest.");
                await destination.UploadBlobAsync(targetRepository, child, bytes, c);
                stats.Copied++;
            }, ct);
        }
        await retry.ExecuteAsync(
            $"put manifest {targetRepository}@{digest}",
            c => destination.PutManifestAsync(targetRepository, digest, manifest, c),
            ct
        );
        return manifest;
    }

    private sealed class Stats { public int Mounted, Copied, Present; }
}
