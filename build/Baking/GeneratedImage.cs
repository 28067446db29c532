namespace Pipeline.Baking;

/// <summary>A file of the build context: from a source file, or generated content.</summary>
/// <param name="Mode">Unix permissions as written into the tar (COPY keeps them).</param>
/// <param name="Sha256">The content's SHA-256 where something that is itself hashed already states it (a .deb of the
/// local apt index, unchanged since the index was written): the input hash takes it instead of reading the file.</param>
public sealed record ContextEntry(string Path, string? SourceFile, byte[]? Content, UnixFileMode Mode, string? Sha256 = null)
{
    public byte[] ReadAllBytes() => Content ?? File.ReadAllBytes(SourceFile!);
}

/// <summary>
/// What is sent to the builder for one image: the Dockerfile (one instruction, and so one layer, per provisioner)
/// and the context files; <see cref="StepOrigins"/> maps each Dockerfile step (1-based, FROM is 1) to the
/// definition key path it comes from, so a failed step names its provisioner.
/// </summary>
public sealed record GeneratedImage(string Dockerfile, IReadOnlyList<ContextEntry> Entries, IReadOnlyList<string> StepOrigins)
{
    /// <summary>The provisioner or setting behind Dockerfile step <paramref name="step"/>.</summary>
    public string OriginOf(int step) => step >= 1 && step <= StepOrigins.Count ? StepOrigins[step - 1] : "labels";

    /// <summary>The Dockerfile with the content-addressing label appended (the hash is computed without it).</summary>
    public string DockerfileWithHash(string name, string inputHash) =>
        Dockerfile + $"LABEL \"{ImageLabels.Image}\"=\"{name}\" \"{ImageLabels.InputHash}\"=\"{inputHash}\"\n";
}

/// <summary>The labels every baked image carries.</summary>
public static class ImageLabels
{
    public const string Image = "pipeline.image";
    public const string InputHash = "pipeline.input-hash";
    public const string Debootstrap = "pipeline.debootstrap";
}
