namespace Pipeline.Publishing;

/// <summary>What Publish does for one image in one registry.</summary>
public enum PublishAction
{
    /// <summary>Every tag already names the image's manifest: nothing to send.</summary>
    UpToDate,
    /// <summary>The manifest is there under its hash tag; only some tags are missing or stale (manifest PUTs, no layers).</summary>
    Retag,
    /// <summary>The image is not there: push it through the Engine API, then tag.</summary>
    Push,
}

/// <summary>What the registry holds for an image's tags before anything is sent.</summary>
/// <param name="CanonicalDigest">The manifest digest under the hash tag, null when absent.</param>
/// <param name="CanonicalConfigDigest">The config digest of that manifest (the engine's image id), null when absent.</param>
/// <param name="TagDigests">Each other tag's current digest, null when absent.</param>
public sealed record DestinationState(
    string? CanonicalDigest,
    string? CanonicalConfigDigest,
    IReadOnlyDictionary<string, string?> TagDigests
)
{
    public static DestinationState Empty { get; } = new(null, null, new Dictionary<string, string?>());
}

/// <param name="Action">Push, Retag or UpToDate.</param>
/// <param name="CanonicalTag">The hash tag the engine pushes (or that is there already).</param>
/// <param name="TagsToPut">Tags to point at the manifest with a manifest PUT, after a push or instead of one.</param>
/// <param name="Digest">The known digest when nothing is pushed.</param>
public sealed record ImagePublishPlan(PublishAction Action, string CanonicalTag, IReadOnlyList<string> TagsToPut, string? Digest);

/// <summary>
/// Decides per image: skip when the destination already has it. "Has it" means the hash tag's manifest has the
/// image's id as its config digest — a tag that merely exists is not trusted (it may hold another build).
/// </summary>
public static class PublishPlanner
{
    public static ImagePublishPlan Plan(string imageId, IReadOnlyList<string> tags, DestinationState state)
    {
        var canonical = tags[0];
        var others = tags.Skip(1).ToList();
        var present = state.CanonicalDigest is not null && string.Equals(state.CanonicalConfigDigest, imageId, StringComparison.Ordinal);
        if (!present) return new ImagePublishPlan(PublishAction.Push, canonical, others, null);

        var stale = others.Where(t => state.TagDigests.GetValueOrDefault(t) != state.CanonicalDigest).ToList();
        return new ImagePublishPlan(
            stale.Count == 0 ? PublishAction.UpToDate : PublishAction.Retag,
            canonical,
            stale,
            state.CanonicalDigest
        );
    }
}
