namespace Pipeline.Baking;

/// <summary>How a bake runs.</summary>
/// <param name="Root">The repository root (images/, scripts/, artifacts/).</param>
public sealed record BakeOptions(string Root)
{
    /// <summary>Independent images baked at once.</summary>
    public int Parallel { get; init; } = 2;
    /// <summary>Keep a failing step's container (committed as an image to enter) instead of removing it.</summary>
    public bool KeepOnError { get; init; }
    public BakeNaming Naming { get; init; } = new();
    /// <summary>Where debootstrap root file systems are cached.</summary>
    public string? DebootstrapCache { get; init; }
    public string AptRepository => Path.Combine(Root, "artifacts", "apt");
    public string Manifest => Path.Combine(Root, "artifacts", "images.json");
    public string SaveDirectory => Path.Combine(Root, "artifacts", "images");
    public string DebootstrapDirectory => DebootstrapCache ?? Path.Combine(Root, ".nuke", "temp", "debootstrap");
}
