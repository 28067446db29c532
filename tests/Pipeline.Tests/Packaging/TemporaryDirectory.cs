namespace Pipeline.Tests.Packaging;

/// <summary>A fresh folder under the system temp folder, removed on dispose.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pipeline-packaging-").FullName;

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
