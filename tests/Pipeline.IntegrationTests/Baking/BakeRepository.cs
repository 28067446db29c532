using Pipeline.Baking;
using Pipeline.IntegrationTests.Tools.Docker;

namespace Pipeline.IntegrationTests.Baking;

/// <summary>A throw-away repository (images/, scripts/, artifacts/) for one bake test; images are named with the test prefix.</summary>
public sealed class BakeRepository : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("pipeline-test-images-").FullName;
    public string Prefix { get; } = $"{DockerFixture.Prefix}{Guid.NewGuid().ToString("N")[..6]}-";

    public BakeRepository() => DockerFixture.Prefixes.Add(Prefix);

    public BakeRepository Write(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    public BakeRepository Image(string name, string yaml) => Write($"images/{name}/image.yml", yaml);

    /// <summary>Artifacts under this root; debootstrap bases from the repository's cache, shared by every test.</summary>
    public BakeOptions Options(bool keepOnError = false) => new(new ImageLayout(new(Root), new Engine.AbsolutePath(Root) / "artifacts",
        new Engine.AbsolutePath(Path.Combine(ProjectRoot(), ".nuke", "temp", "debootstrap"))))
    {
        Naming = new BakeNaming(Prefix),
        KeepOnError = keepOnError,
        Parallel = 2,
    };

    /// <summary>Labels every image of the test so the fixture removes them.</summary>
    public static string TestLabels => $"labels: {{ {DockerFixture.Label}: \"{DockerFixture.RunId}\" }}\n";

    public ImageCatalog Load() => ImageCatalog.Load(new(Root), _ => null);

    public static string ProjectRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
        throw new InvalidOperationException("No Pipeline.sln above the test's folder.");
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
