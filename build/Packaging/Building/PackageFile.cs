namespace Pipeline.Packaging.Building;

/// <summary>One file the package installs: absolute target path, bytes, Unix mode. Owner is always root:root.</summary>
public sealed record PackageFile(string Path, byte[] Content, int Mode)
{
    public const int Regular = 0b110_100_100;     // 0644
    public const int Executable = 0b111_101_101;  // 0755

    /// <summary>The path as stored in the archives: <c>./usr/bin/x</c>.</summary>
    public string ArchivePath => "." + Path;
}
