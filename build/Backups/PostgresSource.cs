using Pipeline.Definitions;
using Pipeline.Tools.Postgres;
using System.Text.RegularExpressions;

namespace Pipeline.Backups;

/// <summary>
/// A database a set saves: <c>{postgres: {url, databases, checks}}</c> names a server and the databases to dump from it
/// (each becomes a source of its own, named <c>postgres://user@host:port/database</c>), and the checks a restore drill runs
/// on each restored copy. A password in the URL is registered as a secret at once (never shown, never written); better,
/// leave it out and give it as --postgres-password / PGPASSWORD.
/// </summary>
public sealed partial record PostgresSource(PostgresConnection Connection, string Database, IReadOnlyList<DrillCheck> Checks)
{
    public string Name => $"{Connection}/{Database}";

    /// <summary>One source per database of the <c>postgres:</c> entry <paramref name="node"/> (the value of the key).</summary>
    public static IReadOnlyList<BackupSource> Load(DefinitionNode node)
    {
        if (!node.IsMapping) throw node.Error("must be a mapping: { url: postgres://user@host:port, databases: [name, …] }");
        node.AllowOnly("url", "databases", "checks");
        var urlNode = node.Required("url", "the server, postgres://user@host[:port] (its password: --postgres-password or PGPASSWORD)");
        var url = urlNode.String();
        var connection = PostgresConnection.TryParse(url, out var problem);
        if (connection?.Password is { } password) Engine.Secrets.Register(password);
        if (connection is null) throw urlNode.Error($"'{Masked(url)}' {problem}");
        var databasesNode = node.Required("databases", "the names of the databases to dump");
        var databases = databasesNode.Strings();
        if (databases.Count == 0) throw databasesNode.Error("must name at least one database");
        foreach (var (name, item) in databases.Zip(databasesNode.ItemsOrSelf()))
            if (!DatabaseName().IsMatch(name))
                throw item.Error($"'{name}' is not a database name (letters, digits, '_', '-', '.', up to 63)");
        var checks = node.Optional("checks")?.ItemsOrSelf().Select(DrillCheck.Load).ToList() ?? [];
        foreach (var check in checks)
            if (check.Database is { } db && !databases.Contains(db))
                throw node.Required("checks").Error(
                    $"a check names the database '{db}', which is not among databases: {string.Join(", ", databases)}");
        return databases.Select(d =>
        {
            var source = new PostgresSource(connection, d, checks.Where(c => c.Database is null || c.Database == d).ToList());
            return new BackupSource(source.Name, SourceKind.Postgres, d) { Postgres = source };
        }).ToList();
    }

    /// <summary>A URL as it may be shown: its password (if any) replaced by ****.</summary>
    public static string Masked(string url) => PasswordInUrl().Replace(url, "$1****@");

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$")]
    private static partial Regex DatabaseName();

    [GeneratedRegex("^([a-z]+://[^:/@]*:)[^@]*@")]
    private static partial Regex PasswordInUrl();
}
