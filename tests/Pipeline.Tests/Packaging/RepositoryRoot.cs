namespace Pipeline.Tests.Packaging;

/// <summary>The repository root: the nearest folder above the test binaries that holds .nuke/.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (Directory.Exists(System.IO.Path.Combine(directory.FullName, ".nuke"))) return directory.FullName;
        throw new InvalidOperationException($"no .nuke/ above {AppContext.BaseDirectory}");
    }
}
