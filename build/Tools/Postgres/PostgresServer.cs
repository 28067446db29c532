using Pipeline.Engine;

namespace Pipeline.Tools.Postgres;

/// <summary>
/// The PostgreSQL server programs of Debian's <c>postgresql</c> package, which live in <c>/usr/lib/postgresql/&lt;major&gt;/bin</c>
/// rather than on PATH: the integration tests start a server of their own with initdb and pg_ctl.
/// </summary>
public static class PostgresServer
{
    private const string Versions = "/usr/lib/postgresql";

    public static Tool Initdb => Tool.Apt(PathOf("initdb"), "postgresql");
    public static Tool PgCtl => Tool.Apt(PathOf("pg_ctl"), "postgresql");

    /// <summary>The program of the newest installed major version, or <c>/usr/lib/postgresql/bin/&lt;name&gt;</c> (missing, so
    /// that Prerequisites installs the package) when there is none.</summary>
    public static string PathOf(string program)
    {
        var newest = Directory.Exists(Versions)
            ? Directory.EnumerateDirectories(Versions)
                .Select(d => (Dir: d, Major: int.TryParse(Path.GetFileName(d), out var m) ? m : -1))
                .Where(v => v.Major > 0 && File.Exists(Path.Combine(v.Dir, "bin", program)))
                .OrderByDescending(v => v.Major)
                .Select(v => v.Dir)
                .FirstOrDefault()
            : null;
        return Path.Combine(newest ?? Versions, "bin", program);
    }
}
