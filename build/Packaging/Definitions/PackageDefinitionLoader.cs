using Pipeline.Engine;

namespace Pipeline.Packaging.Definitions;

/// <summary>Finds and reads <c>apps/*/package.yml</c> under a repository root.</summary>
public static class PackageDefinitionLoader
{
    public const string FileName = "package.yml";

    /// <summary>The folder of the repository that holds one folder per app.</summary>
    public const string Folder = "apps";

    /// <summary>All definitions, sorted by app folder; every one is validated before any is returned.</summary>
    public static IReadOnlyList<PackageDefinition> LoadAll(AbsolutePath root)
    {
        var apps = root / Folder;
        if (!apps.Exists) return [];
        var definitions = Directory.GetDirectories(apps)
            .Select(app => new AbsolutePath(app) / FileName)
            .Where(file => file.Exists)
            .OrderBy(file => file.Value, StringComparer.Ordinal)
            .Select(file => Load(root, file))
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

    /// <summary>One definition; <paramref name="file"/> is named relative to <paramref name="root"/> in its errors.</summary>
    public static PackageDefinition Load(AbsolutePath root, AbsolutePath file)
    {
        var appDirectory = file.Parent;
        var label = file.RelativeTo(root);
        byte[]? ReadAppFile(string relative)
        {
            var path = appDirectory / relative;
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }

        return PackageDefinitionParser.Parse(label, Pipeline.Definitions.DefinitionFile.ReadText(file, label), ReadAppFile) with
        {
            Source = label,
            AppDirectory = appDirectory,
        };
    }
}
