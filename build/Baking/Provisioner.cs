namespace Pipeline.Baking;

/// <summary>One step of an image, baked into one layer. <see cref="KeyPath"/> says where it is defined (<c>provisioners/2</c>).</summary>
public abstract record Provisioner(string KeyPath)
{
    /// <summary>A short description for logs and failures: <c>shell scripts/setup.sh</c>.</summary>
    public abstract string Describe();

    /// <summary>Copies a file of the image's folder into the image.</summary>
    /// <param name="Mode">Octal permissions such as <c>0755</c>; null keeps the source file's.</param>
    /// <param name="Owner"><c>user[:group]</c>; null is root.</param>
    public sealed record File(string KeyPath, string Source, string SourcePath, string Destination, string? Mode, string? Owner)
        : Provisioner(KeyPath)
    {
        public override string Describe() => $"file {Source} → {Destination}";
    }

    /// <summary>Runs a script from scripts/ (<see cref="Script"/>) or inline commands, with extra environment.</summary>
    public sealed record Shell(
        string KeyPath,
        string? Script,
        string? ScriptPath,
        IReadOnlyList<string> Inline,
        IReadOnlyDictionary<string, string> Environment
    ) : Provisioner(KeyPath)
    {
        public override string Describe() =>
            Script is not null ? $"shell {Script}" : $"shell inline ({Inline.Count} line{(Inline.Count == 1 ? "" : "s")})";
    }

    /// <summary>Installs Debian packages from the image's APT sources.</summary>
    public sealed record Apt(string KeyPath, IReadOnlyList<string> Names) : Provisioner(KeyPath)
    {
        public override string Describe() => $"apt {string.Join(' ', Names)}";
    }

    /// <summary>Installs our own packages (the Packages target's .debs) from the local APT repository artifacts/apt/.</summary>
    public sealed record Packages(string KeyPath, IReadOnlyList<string> Names) : Provisioner(KeyPath)
    {
        public override string Describe() => $"packages {string.Join(' ', Names)}";
    }

    public sealed record Env(string KeyPath, IReadOnlyDictionary<string, string> Variables) : Provisioner(KeyPath)
    {
        public override string Describe() => $"env {string.Join(' ', Variables.Keys)}";
    }

    public sealed record User(string KeyPath, string Name) : Provisioner(KeyPath)
    {
        public override string Describe() => $"user {Name}";
    }

    public sealed record Workdir(string KeyPath, string Path) : Provisioner(KeyPath)
    {
        public override string Describe() => $"workdir {Path}";
    }
}
