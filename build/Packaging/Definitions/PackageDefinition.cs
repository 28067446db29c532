namespace Pipeline.Packaging.Definitions;

/// <summary>A validated <c>apps/&lt;name&gt;/package.yml</c>: everything needed to build one Debian package.</summary>
public sealed record PackageDefinition(
    string Name,
    string Version,
    string Summary,
    string Description,
    string Maintainer,
    string? Homepage,
    string Section,
    string Priority,
    string Copyright,
    string License,
    IReadOnlyList<string> Depends,
    string Project,
    string Executable,
    ServiceOptions? Service,
    IReadOnlyList<ConfigFile> ConfigFiles,
    IReadOnlyList<string> LintianOverrides)
{
    /// <summary>The file the definition was read from, relative to the repository root (for messages).</summary>
    public string Source { get; init; } = "";

    /// <summary>The app folder holding the definition; relative paths in it are relative to this.</summary>
    public string AppDirectory { get; init; } = "";

    /// <summary>Where the executable is installed.</summary>
    public string InstalledExecutable => $"/usr/bin/{Name}";
}

/// <summary>The systemd service of a package and the system user it runs as.</summary>
public sealed record ServiceOptions(
    string User,
    string Restart,
    int RestartSec,
    int StopTimeoutSec,
    IReadOnlyList<string> After,
    IReadOnlyList<string> Arguments)
{
    public string Home => $"/var/lib/{User}";
}

/// <summary>A configuration file installed under /etc and marked as a conffile.</summary>
public sealed record ConfigFile(string Path, byte[] Content, int Mode, string Group)
{
    public bool Equals(ConfigFile? other) =>
        other is not null
        && Path == other.Path
        && Mode == other.Mode
        && Group == other.Group
        && Content.AsSpan().SequenceEqual(other.Content);

    public override int GetHashCode() => HashCode.Combine(Path, Mode, Group, Content.Length);
}
