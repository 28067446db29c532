namespace Pipeline.Tools.Docker;

/// <summary>Options of <c>POST /build</c> (the classic builder).</summary>
public sealed record BuildOptions
{
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();
    public string Dockerfile { get; init; } = "Dockerfile";
    public bool NoCache { get; init; }
    /// <summary>Keep a failing step's intermediate container (for <c>--keep-on-error</c>); otherwise always removed.</summary>
    public bool KeepFailedContainer { get; init; }
    public string? NetworkMode { get; init; }
}
