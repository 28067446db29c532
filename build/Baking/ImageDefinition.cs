namespace Pipeline.Baking;

/// <summary>One validated <c>images/&lt;name&gt;/image.yml</c>.</summary>
/// <param name="Name">The folder's name: the image's local repository name.</param>
/// <param name="File">The definition file as errors name it (<c>images/base/image.yml</c>).</param>
/// <param name="Directory">The image's folder; <c>file</c> sources are relative to it.</param>
public sealed record ImageDefinition(
    string Name,
    string File,
    string Directory,
    ImageSource From,
    IReadOnlyList<Provisioner> Provisioners,
    ImageSettings Settings,
    ImageOutputs Outputs
)
{
    /// <summary>The images/ parent, when this image starts from another of ours.</summary>
    public string? Parent => From is ImageSource.Image image ? image.Name : null;
}

/// <summary>What the image starts from.</summary>
public abstract record ImageSource
{
    /// <summary>Another image of images/ (by folder name).</summary>
    public sealed record Image(string Name) : ImageSource;
    /// <summary>An image from a registry, e.g. <c>debian:bookworm-slim</c> (pulled by the engine when missing).</summary>
    public sealed record Registry(string Reference) : ImageSource;
    /// <summary>A root file system made by debootstrap, cached per (suite, variant, mirror, packages).</summary>
    public sealed record Debootstrap(string Suite, string Variant, string Mirror, IReadOnlyList<string> Packages) : ImageSource;
}

/// <summary>The image's run-time settings.</summary>
public sealed record ImageSettings
{
    public IReadOnlyList<string>? Cmd { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyList<string> Expose { get; init; } = [];
    public Healthcheck? Healthcheck { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>A health check: <c>Test</c> is exec form (a list) or a shell command (<c>CMD-SHELL</c>).</summary>
public sealed record Healthcheck(
    IReadOnlyList<string> Command,
    bool Shell,
    TimeSpan Interval,
    TimeSpan Timeout,
    int Retries,
    TimeSpan StartPeriod
);

/// <summary>What a bake produces besides the content-addressed tag: extra tags, and optionally a saved tar.</summary>
public sealed record ImageOutputs(IReadOnlyList<string> Tags, bool Save);
