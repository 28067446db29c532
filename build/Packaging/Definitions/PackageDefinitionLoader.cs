namespace Pipeline.Packaging.Definitions;

/// <summary>Finds and reads <c>apps/*/package.yml</c> under a repository root.</summary>
public static class PackageDefinitionLoader
{
    public const string FileName = "package.yml";

    /// <summary>All definitions, sorted by app folder; every one is validated before any is returned.</summary>
    public static IReadOnlyList<PackageDefinition> LoadAll(string rootDirectory)
    {
        var apps = Path.Combine(rootDirectory, "apps");
        if (!Directory.Exists(apps)) return [];
        var definitions = Directory.GetDirectories(apps)
            .Select(app => Path.Combine(app, FileName))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)
            .Select(file => Load(rootDirectory, file))
            .ToList();

        var duplicate = definitions.GroupBy(d => d.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new Pipeline.Definitions.DefinitionException(
                duplicate.Last().Source,
                "name",
                $"'{duplicate.Key}' is also the name in {duplicate.First().Source}"
            );
        return definitions;
    }

    public static PackageDefinition Load(string rootDirectory, string file)
    {
        var appDirectory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var label = Path.GetRelativePath(rootDirectory, file);
        byte[]? ReadAppFile(string relative)
        {
            var path = Path.Combine(appDirectory, relative);
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }

        return PackageDefinitionParser.Parse(label, Pipeline.Definitions.DefinitionFile.ReadText(file, label), ReadAppFile) with
        {
            Source = label,
            AppDirectory = appDirectory,
        };
    }
}
