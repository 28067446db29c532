namespace Pipeline.Tests.Baking;

/// <summary>A throw-away repository with images/ and scripts/ written by a test.</summary>
public sealed class ImageRepository : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("pipeline-bake-").FullName;

    public ImageRepository Image(string name, string yaml, params (string File, string Content)[] files)
    {
        var dir = Path.Combine(Root, "images", name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "image.yml"), yaml);
        foreach (var (file, content) in files) Write(Path.Combine("images", name, file), content);
        return this;
    }

    public ImageRepository Write(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    public Pipeline.Baking.ImageCatalog Load(Func<string, string?>? variables = null) =>
        Pipeline.Baking.ImageCatalog.Load(new(Root), variables ?? (_ => null), "http://deb.example/debian");

    /// <summary>The repository this test runs in (the folder with Pipeline.sln).</summary>
    public static string ProjectRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
        throw new InvalidOperationException("No Pipeline.sln above the test's folder.");
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
