using Pipeline.Deploying.Definitions;
using Pipeline.Engine;

namespace Pipeline.Deploying;

/// <summary>
/// Where deploys read and leave things on this machine: the images to resolve (<c>artifacts/</c>), the outputs
/// (<c>artifacts/deploy/</c>: audit records, timelines), the journals (<c>.nuke/temp/deploy/&lt;env&gt;/</c>), and the
/// root that the environment file's relative paths (sockets, known_hosts, keys, file_sd) start from. One object, so no
/// step joins paths by hand.
/// </summary>
/// <param name="Root">The repository root: the environment file's relative paths are relative to it.</param>
/// <param name="Artifacts">Where artifacts/images.json and artifacts/published.json are read.</param>
/// <param name="StateDirectory">Deploy's local state: the groups' journals.</param>
public sealed record DeployLayout(AbsolutePath Root, AbsolutePath Artifacts, AbsolutePath StateDirectory)
{
    /// <summary>The layout of a build: artifacts in <paramref name="artifactsDirectory"/>, state in
    /// <c>&lt;temporaryDirectory&gt;/deploy</c>.</summary>
    public static DeployLayout Of(AbsolutePath root, AbsolutePath artifactsDirectory, AbsolutePath temporaryDirectory) =>
        new(root, artifactsDirectory, temporaryDirectory / "deploy");

    /// <summary>The repository's commit deploys run from (HEAD), written into the audit records; null outside git.</summary>
    public string? Commit { get; init; }

    /// <summary>Audit records (one per deploy, and audit.jsonl) and timelines.</summary>
    public AbsolutePath Outputs => Artifacts / "deploy";

    /// <summary>The group's journal: every step of its deploys, one JSON line each.</summary>
    public AbsolutePath Journal(GroupDefinition group) => StateDirectory / group.Environment / $"{group.Name}.journal.jsonl";

    /// <summary>A path of the environment file, absolute as given or relative to <see cref="Root"/>.</summary>
    public AbsolutePath Resolve(string path) => AbsolutePath.Parse(path, Root);
}
