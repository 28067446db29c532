namespace Pipeline.Baking;

/// <summary>How a bake runs.</summary>
/// <param name="Layout">Where it reads and writes: artifacts (apt, images.json, images/) and the debootstrap cache.</param>
public sealed record BakeOptions(ImageLayout Layout)
{
    /// <summary>Independent images baked at once.</summary>
    public int Parallel { get; init; } = 2;
    /// <summary>Keep a failing step's container (committed as an image to enter) instead of removing it.</summary>
    public bool KeepOnError { get; init; }
    public BakeNaming Naming { get; init; } = new();
}
