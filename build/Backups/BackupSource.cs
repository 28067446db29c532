using Pipeline.Definitions;

namespace Pipeline.Backups;

public enum SourceKind { Local, Container, Ssh, Postgres }

/// <summary>
/// One thing a backup set saves: a local path, a path inside a container (<c>docker cp</c>) or a path on an SSH
/// host (a tar stream over the run's pinned SSH.NET connection), or a PostgreSQL database (<see cref="Postgres"/>: a
/// pg_dump stream). <see cref="Name"/> identifies it inside snapshots; an <see
/// cref="Optional"/> local source that
/// does not exist (yet) is skipped.
/// </summary>
public sealed record BackupSource(
    string Name,
    SourceKind Kind,
    string Path,
    string? Container = null,
    string? Host = null,
    bool Optional = false
)
{
    /// <summary>Set for <see cref="SourceKind.Postgres"/>: the server, the database and the drill's checks.</summary>
    public PostgresSource? Postgres { get; init; }

    /// <summary>The sources one item of <c>sources:</c> names: one, or one per database of a <c>postgres:</c> item.</summary>
    public static IReadOnlyList<BackupSource> LoadAll(DefinitionNode node, Engine.AbsolutePath root)
    {
        if (!node.IsMapping || node.Optional("postgres") is not { } postgres) return [Load(node, root)];
        node.AllowOnly("postgres");
        return PostgresSource.Load(postgres);
    }

    public static BackupSource Load(DefinitionNode node, Engine.AbsolutePath root)
    {
        if (!node.IsMapping)
        {
            var text = node.String();
            return new BackupSource(text, SourceKind.Local, Absolute(text, root));
        }
        node.AllowOnly("path", "container", "host", "name", "optional");
        var pathNode = node.Required("path", "the file or directory to back up");
        var path = pathNode.String();
        var container = node.Optional("container")?.String();
        var host = node.Optional("host")?.String();
        if (container is not null && host is not null) throw node.Error("give either container or host, not both");
        if (host is not null && Tools.Ssh.SshEndpoint.TryParse(host, Environment.UserName) is null)
            throw node.Required("host").Error($"'{host}' is not a host: write user@host or user@host:port");
        if ((container is not null || host is not null) && !path.StartsWith('/'))
            throw pathNode.Error($"'{path}' must be absolute inside the container or on the host");
        var kind = container is not null ? SourceKind.Container : host is not null ? SourceKind.Ssh : SourceKind.Local;
        var name = node.Optional("name")?.String() ?? kind switch
        {
            SourceKind.Container => $"{container}:{path}",
            SourceKind.Ssh => $"{host}:{path}",
            _ => path,
        };
        return new BackupSource(
            name,
            kind,
            kind == SourceKind.Local ? Absolute(path, root) : path,
            container,
            host,
            node.Optional("optional")?.Bool() ?? false
        );
    }

    private static string Absolute(string path, Engine.AbsolutePath root) => Engine.AbsolutePath.Parse(path, root).Value;

    public override string ToString() => Name;
}
