using YamlDotNet.RepresentationModel;

namespace Pipeline.Server.Status;

/// <summary>One group of an environment as the dashboard needs it: where its deploy lists its members (file_sd) and the path
/// its instances answer health checks on.</summary>
public sealed record GroupOutline(string Name, string? FileSd, string HealthPath);

/// <summary>
/// The parts of <c>environments/&lt;env&gt;.yml</c> the dashboard shows: the groups, the backup sets and the certificates' name
/// sets. Only names and paths, never a value a secret could sit in; the build validates the file, so anything missing or odd here
/// is simply left out.
/// </summary>
public sealed record EnvironmentOutline(
    string Environment,
    IReadOnlyList<GroupOutline> Groups,
    IReadOnlyList<string> BackupSets,
    IReadOnlyList<IReadOnlyList<string>> Certificates)
{
    public static EnvironmentOutline Read(string environmentsDirectory, string environment)
    {
        var path = Path.Combine(environmentsDirectory, $"{environment}.yml");
        if (!File.Exists(path)) return new(environment, [], [], []);
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root) return new(environment, [], [], []);
        var groups = (Map(root, "groups") as YamlMappingNode)?.Children
            .Select(g => new GroupOutline(
                Scalar(g.Key) ?? "",
                Scalar(Map(Map(g.Value, "outputs"), "file_sd")),
                Scalar(Map(Map(g.Value, "health"), "path")) ?? "/"))
            .ToList() ?? [];
        var sets = Map(Map(root, "backups"), "sets") is YamlMappingNode s ? s.Children.Select(c => Scalar(c.Key) ?? "").ToList() : [];
        var certificates = Map(Map(root, "certificates"), "sets") is YamlSequenceNode seq
            ? seq.Children.Select(c => (IReadOnlyList<string>)(Map(c, "names") is YamlSequenceNode n
                ? n.Children.Select(x => Scalar(x) ?? "").ToList()
                : [])).Where(n => n.Count > 0).ToList()
            : [];
        return new(environment, groups, sets, certificates);
    }

    private static YamlNode? Map(YamlNode? node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value;
}
