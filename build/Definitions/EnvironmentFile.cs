using Pipeline.Engine;
using System.Reflection;

namespace Pipeline.Definitions;

/// <summary>
/// <c>environments/&lt;name&gt;.yml</c>: finds it from the <c>--environment</c> name (a path or an unknown name is a
/// usage error that says which names exist), reads it strictly, and refuses top-level keys no capability declared
/// with <see cref="EnvironmentSectionAttribute"/>. Each capability validates its own sections when it loads them.
/// </summary>
public static class EnvironmentFile
{
    public const string Folder = "environments";

    /// <summary>The top-level keys the capabilities of this build read, from their <see cref="EnvironmentSectionAttribute"/>s.</summary>
    public static IReadOnlyList<string> KnownSections { get; } = typeof(EnvironmentFile).Assembly
        .GetCustomAttributes<EnvironmentSectionAttribute>().Select(a => a.Key).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The environments of the repository: the names of <c>environments/*.yml</c>.</summary>
    public static IReadOnlyList<string> Names(AbsolutePath root) =>
        Directory.Exists(root / Folder)
            ? Directory
                .EnumerateFiles(root / Folder, "*.yml")
                .Select(f => Path.GetFileNameWithoutExtension(f)!)
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>
    /// Refuses an <c>--environment</c> that is a path (suggesting its name) or names no file (listing the names).
    /// </summary>
    /// <param name="flag">How the error names the parameter, e.g. <c>--environment</c>.</param>
    public static void CheckName(string name, AbsolutePath root, string flag = "--environment")
    {
        var isPath =
            name.Contains('/') || name.EndsWith(".yml", StringComparison.Ordinal) || name.EndsWith(".yaml", StringComparison.Ordinal);
        if (!isPath && name.Length > 0 && File.Exists(root / Folder / $"{name}.yml")) return;
        // Only a refusal lists the folder.
        var names = Names(root);
        var list = names.Count > 0 ? $" Environments: {string.Join(", ", names)}." : $" There is no {Folder}/*.yml yet.";
        if (isPath)
        {
            var stem = Path.GetFileNameWithoutExtension(name.TrimEnd('/'));
            var hint = names.Contains(stem) ? $"write {flag} {stem}" : $"write the name of a file of {Folder}/, without .yml";
            throw new UsageException(
                $"{flag} {name}: give the environment's name, not a path ({hint}).{(names.Contains(stem) ? "" : list)}"
            );
        }
        throw new UsageException($"{flag} {name}: there is no {Folder}/{name}.yml.{Suggestions.DidYouMean(name, names)}{list}");
    }

    /// <summary>Reads <paramref name="path"/> and checks its top-level keys against <see cref="KnownSections"/>.</summary>
    public static DefinitionNode Load(string path, string displayName, Func<string, string?>? variables = null) =>
        Parse(DefinitionFile.ReadText(path, displayName), displayName, variables);

    /// <summary>Parses an environment file's text (read with <see cref="DefinitionFile.ReadText"/>) and checks its top-level
    /// keys.</summary>
    public static DefinitionNode Parse(string yaml, string displayName, Func<string, string?>? variables = null)
    {
        var root = DefinitionFile.Parse(yaml, displayName, variables);
        if (!root.IsMapping) throw root.Error($"must be a mapping of sections ({string.Join(", ", KnownSections)})");
        return root.AllowOnly(KnownSections, "section");
    }
}
