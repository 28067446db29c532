using Pipeline.Definitions;
using System.Text.RegularExpressions;

namespace Pipeline.Backups;

/// <summary>
/// A named backup set: what to save, what to leave out, where it goes (bucket and prefix: sets sharing both share
/// one content-addressed object store and so deduplicate across each other) and how long snapshots stay.
/// </summary>
public sealed partial record BackupSet(
    string Name,
    IReadOnlyList<BackupSource> Sources,
    IReadOnlyList<string> Excludes,
    string Bucket,
    string Prefix,
    RetentionPolicy Retention
)
{
    public static BackupSet Load(
        string name,
        DefinitionNode node,
        Engine.AbsolutePath root,
        string? defaultBucket,
        string defaultPrefix,
        TimeZoneInfo zone
    )
    {
        if (!SetName().IsMatch(name)) throw node.Error("a set name is lower-case letters, digits and '-' (it becomes part of S3 keys)");
        node.AllowOnly("sources", "exclude", "bucket", "prefix", "retention");
        var sourcesNode = node.Required("sources",
            "a list of paths, or {container, path}, or {host, path}, or {postgres: {url, databases}}");
        var sources = sourcesNode.ItemsOrSelf().SelectMany(s => BackupSource.LoadAll(s, root)).ToList();
        if (sources.Count == 0) throw sourcesNode.Error("must name at least one source");
        if (sources.Any(s => s.Kind == SourceKind.Postgres) && sources.Any(s => s.Kind != SourceKind.Postgres))
            throw sourcesNode.Error("mixes databases and files: give the postgres: sources a set of their own");
        if (sources.Any(s => s.Kind == SourceKind.Postgres) && node.Optional("exclude") is { } excluded)
            throw excluded.Error("does not apply to databases (a set of postgres: sources saves whole databases)");
        var duplicate = sources.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw sourcesNode.Error($"'{duplicate.Key}' is listed twice (give one of them a name:)");
        var excludes = node.Optional("exclude")?.Strings() ?? [];
        foreach (var pattern in excludes) ExcludeFilter.Validate(pattern, node.Required("exclude"));
        var bucket = node.Optional("bucket") is { } bucketNode ? CheckedBucket(bucketNode)
            : defaultBucket ?? throw node.Error("'bucket' is missing (set it here or as backups/bucket)");
        var prefix = (node.Optional("prefix")?.String() ?? defaultPrefix).Trim('/');
        return new BackupSet(name, sources, excludes, bucket, prefix, RetentionPolicy.Load(node.Optional("retention"), zone));
    }

    public static string CheckedBucket(DefinitionNode node)
    {
        var bucket = node.String();
        return BucketName().IsMatch(bucket)
            ? bucket
            : throw node.Error($"'{bucket}' is not a valid bucket name (3-63 lower-case letters, digits, '.', '-')");
    }

    /// <summary>Whether the set saves databases (every source is a <c>postgres:</c> one) rather than files.</summary>
    public bool IsDatabases => Sources.Count > 0 && Sources.All(s => s.Kind == SourceKind.Postgres);

    /// <summary>The repository (bucket and prefix) the set's objects and snapshots live in.</summary>
    public string Repository => Prefix.Length == 0 ? Bucket : $"{Bucket}/{Prefix}";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex SetName();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
