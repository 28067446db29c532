using Pipeline.Engine;
using Pipeline.Tools.Registry;

namespace Pipeline.Publishing;

/// <summary>The settings of one Publish run.</summary>
/// <param name="Environment">The environment whose registries receive the images.</param>
/// <param name="Version">The source version (tags).</param>
/// <param name="Channel">An extra tag such as <c>staging</c>, only when asked.</param>
/// <param name="IsServerBuild">CI: periodic progress lines instead of bars.</param>
public sealed record PublishOptions(string Environment, SourceVersion Version, string? Channel, bool IsServerBuild)
{
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}

/// <summary>
/// Publishes images to registries: per image and registry, looks at what the registry holds (one GET of the hash
/// tag's manifest, a HEAD per other tag), then pushes through the engine, only re-tags with manifest PUTs, or does
/// nothing. Returns the entries of artifacts/published.json.
/// </summary>
public sealed class Publisher(IImageEngine engine, Func<RegistryDefinition, RegistryCredentials?> credentials, PublishOptions options)
{
    private readonly SemaphoreSlim _pushes = new(1, 1); // one push at a time: one set of progress bars

    public async Task<IReadOnlyList<PublishedImage>> PublishAsync(
        IReadOnlyList<RegistryDefinition> registries,
        IReadOnlyList<BuiltImage> images,
        CancellationToken ct
    )
    {
        var published = new List<PublishedImage>();
        foreach (var registry in registries)
        {
            var creds = credentials(registry);
            using var client = new RegistryClient(registry.Endpoint, creds);
            await Guard(registry, () => options.Retry.ExecuteAsync($"ping {registry.Address}", client.PingAsync, ct));
            // Images in parallel: the checks are a few small requests each; pushes share the engine's layer uploads.
            var results = await Task.WhenAll(
                images.Select(image => Guard(registry, () => PublishOneAsync(registry, client, creds, image, ct)))
            );
            published.AddRange(results);
        }
        return published;
    }

    private async Task<PublishedImage> PublishOneAsync(
        RegistryDefinition registry,
        RegistryClient client,
        RegistryCredentials? creds,
        BuiltImage image,
        CancellationToken ct
    )
    {
        var tags = TagPlanner.Tags(image.InputHash, options.Version, options.Channel);
        var repository = registry.RepositoryOf(image.Name);
        var reference = registry.RepositoryReference(image.Name);
        var state = await ObserveAsync(client, repository, tags, ct);
        var plan = PublishPlanner.Plan(image.Id, tags, state);

        string digest;
        string status;
        switch (plan.Action)
        {
            case PublishAction.UpToDate:
                Log.Information($"{image.Name} → {reference}: up to date ({plan.Digest}, tags {string.Join(", ", tags)})");
                return Entry(registry, image, reference, plan.Digest!, tags, "up-to-date");
            case PublishAction.Retag:
                digest = plan.Digest!;
                status = "retagged";
                break;
            default:
                await _pushes.WaitAsync(ct);
                try
                {
                    await engine.TagAsync(image.Id, reference, plan.CanonicalTag, ct);
                    var display = ProgressDisplay.For($"{image.Name} → {reference}:{plan.CanonicalTag}", options.IsServerBuild);
                    try
                    {
                        digest = await options.Retry.ExecuteAsync($"push {reference}:{plan.CanonicalTag}",
                            c => engine.PushAsync(reference, plan.CanonicalTag, registry.Address, creds, display.Report, c), ct);
                    }
                    finally { display.Complete(); }
                }
                finally { _pushes.Release(); }
                status = "pushed";
                break;
        }

        if (plan.TagsToPut.Count > 0)
        {
            var manifest = await options.Retry.ExecuteAsync($"get manifest {reference}@{digest}",
                async c => await client.GetManifestAsync(repository, digest, c), ct)
                ?? throw new PipelineException($"{reference}@{digest}: the registry has no such manifest right after it was pushed.");
            await Task.WhenAll(plan.TagsToPut.Select(tag => options.Retry.ExecuteAsync($"tag {reference}:{tag}",
                c => client.PutManifestAsync(repository, tag, manifest, c), ct)));
        }
        Log.Information(
            $"{image.Name} → {reference}@{digest}: "
            + $"{status}{(plan.TagsToPut.Count > 0 ? $"; tagged {string.Join(", ", plan.TagsToPut)}" : "")}"
        );
        return Entry(registry, image, reference, digest, tags, status);
    }

    /// <summary>GET of the hash tag's manifest (digest and config digest) and a HEAD per other tag, in parallel.</summary>
    private async Task<DestinationState> ObserveAsync(
        RegistryClient client,
        string repository,
        IReadOnlyList<string> tags,
        CancellationToken ct
    )
    {
        var canonical = options.Retry.ExecuteAsync(
            $"get manifest {repository}:{tags[0]}",
            c => client.GetManifestAsync(repository, tags[0], c),
            ct
        );
        var others = tags.Skip(1).Select(async tag => (tag, head: await options.Retry.ExecuteAsync($"head {repository}:{tag}",
            c => client.HeadManifestAsync(repository, tag, c), ct))).ToList();
        var manifest = await canonical;
        var heads = await Task.WhenAll(others);
        return new DestinationState(manifest?.Digest, manifest?.ConfigDigest, heads.ToDictionary(h => h.tag, h => h.head?.Digest));
    }

    private static PublishedImage Entry(
        RegistryDefinition registry,
        BuiltImage image,
        string reference,
        string digest,
        IReadOnlyList<string> tags,
        string status
    ) => new(image.Name, image.InputHash, registry.Name, reference, digest, tags, $"{reference}@{digest}") { Status = status };

    /// <summary>Turns authentication failures into the one-line message naming the registry and the secret.</summary>
    private static async Task<T> Guard<T>(RegistryDefinition registry, Func<Task<T>> action)
    {
        try { return await action(); }
        catch (RegistryAuthenticationException e) { throw PublishFailures.Authentication(registry, $"{(int)e.Status} {e.Status}"); }
    }

    private static async Task Guard(RegistryDefinition registry, Func<Task> action) =>
        await Guard(registry, async () => { await action(); return true; });
}
