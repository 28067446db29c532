namespace Pipeline.IntegrationTests.Packaging;

/// <summary>The repository root: the nearest folder above the test binaries that holds .nuke/.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>Where these tests keep what is slow to make (the chroot, the published app) between runs.</summary>
    public static string Cache => System.IO.Path.Combine(Path, ".nuke", "temp", "packaging-tests");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (Directory.Exists(System.IO.Path.Combine(directory.FullName, ".nuke"))) return directory.FullName;
        throw new InvalidOperationException($"no .nuke/ above {AppContext.BaseDirectory}");
    }
}
