using Microsoft.Data.Sqlite;

namespace Pipeline.Server.Storage;

/// <summary>
/// The server's one SQLite file (jobs, tokens, audit, seen webhook signatures): WAL, so readers never wait for the runner.
/// Each call opens its own pooled connection.
/// </summary>
public sealed class Database(string path)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Shared,
        DefaultTimeout = 30,
    }.ToString();

    public string Path { get; } = path;

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 5000;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    public async Task MigrateAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await using var connection = await OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS jobs (
                id TEXT PRIMARY KEY, seq INTEGER NOT NULL, created TEXT NOT NULL, requested_by TEXT NOT NULL,
                environment TEXT NOT NULL, targets TEXT NOT NULL, parameters TEXT NOT NULL, status TEXT NOT NULL,
                started TEXT, finished TEXT, exit_code INTEGER, pid INTEGER, cancel_requested INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status, seq);
            CREATE TABLE IF NOT EXISTS tokens (
                hash TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL, slack_user TEXT, created TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS audit (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                subject TEXT NOT NULL, status INTEGER NOT NULL, detail TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS seen_signatures (signature TEXT PRIMARY KEY, expires TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS backup_points (set_name TEXT NOT NULL, at TEXT NOT NULL, bytes REAL NOT NULL,
                PRIMARY KEY (set_name, at));
            """;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Times are stored as round-trip UTC text, so they sort and compare as text.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("O");

    public static DateTimeOffset? ParseTime(object value) =>
        value is string s ? DateTimeOffset.Parse(s, null, System.Globalization.DateTimeStyles.RoundtripKind) : null;
}
