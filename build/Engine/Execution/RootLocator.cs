namespace Pipeline.Engine;

/// <summary>Finds the repository root: <c>PIPELINE_ROOT</c>, else the nearest folder holding <c>.nuke/</c>.</summary>
internal static class RootLocator
{
    public static AbsolutePath Find(IReadOnlyDictionary<string, string> environment)
    {
        if (environment.TryGetValue("PIPELINE_ROOT", out var root) && Directory.Exists(root))
            return new AbsolutePath(Path.GetFullPath(root));
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, ".nuke")))
                    return new AbsolutePath(dir.FullName);
        }
        throw new UsageException("No .nuke/ folder found above the current directory: run ./build.sh from the repository.");
    }
}
