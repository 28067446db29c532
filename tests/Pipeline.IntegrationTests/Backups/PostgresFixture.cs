using CliWrap;
using Pipeline.Tools.Postgres;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>
/// A real PostgreSQL server (Debian's postgresql package: initdb, pg_ctl) on 127.0.0.1:25870 for the backups collection,
/// started on first use (the file tests never pay for it) with its data in a temporary folder, password authentication
/// (scram-sha-256) for the user <see cref="User"/>, and durability off (fsync) since it holds only test data. postgres
/// refuses to run as root: as root the server programs run as the postgres user through setpriv. Stopped at the end.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresFixture : IAsyncLifetime
{
    public const int Port = 25870;
    public const string User = "pipeline";
    public const string Password = "test-password-not-a-secret";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"pipeline-postgres-tests-{Environment.ProcessId}");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _started;

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>The server, with the password (given to the client tools as PGPASSWORD).</summary>
    public PostgresConnection Connection => new("127.0.0.1", Port, User, Password);

    /// <summary>The server without a password: what a definition records when the password comes from a parameter.</summary>
    public PostgresConnection Server => Connection with { Password = null };

    public async Task<PostgresConnection> StartedAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (!_started) await StartAsync();
            _started = true;
            return Connection;
        }
        finally { _gate.Release(); }
    }

    private async Task StartAsync()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        Directory.CreateDirectory(_directory);
        // The server's own user creates and owns the data folder inside.
        File.SetUnixFileMode(_directory, (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit);
        var passwordFile = Path.Combine(_directory, "password");
        await File.WriteAllTextAsync(passwordFile, Password);
        File.SetUnixFileMode(passwordFile, (UnixFileMode)0b110_100_100);
        await AsServerUser(PostgresServer.Initdb.Command, "--pgdata", DataDirectory, "--username", User, "--pwfile", passwordFile,
            "--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C").RunBufferedAsync(TimeSpan.FromMinutes(3));
        File.Delete(passwordFile);
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = ''
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_wal_size = 1GB

            """);
        await AsServerUser(PostgresServer.PgCtl.Command, "--pgdata", DataDirectory, "--log", Path.Combine(_directory, "server.log"),
            "--wait", "--timeout", "120", "start").RunBufferedAsync(TimeSpan.FromMinutes(3));
    }

    /// <summary>Runs SQL on <paramref name="database"/> and returns its output (unaligned, no headers), trimmed.</summary>
    public async Task<string> QueryAsync(string database, string sql) =>
        (await PostgresCommands.Query(Connection, database, sql).RunBufferedAsync(TimeSpan.FromMinutes(10))).StandardOutput.Trim();

    public Task CreateDatabaseAsync(string database) => PostgresCommands.Create(Connection, database).RunBufferedAsync();

    /// <summary>One checksum over every row of the table, in key order: equal checksums, equal rows.</summary>
    public Task<string> ChecksumAsync(string database, string table, string key = "id") =>
        QueryAsync(database, $"select md5(string_agg(md5(t::text), '' order by t.{key})) from {table} t");

    /// <summary>The server's databases.</summary>
    public async Task<IReadOnlyList<string>> DatabasesAsync() =>
        (await QueryAsync("postgres", "select datname from pg_database order by 1")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static Command AsServerUser(string program, params string[] arguments) =>
        Environment.UserName == "root"
            ? Cli.Wrap("setpriv").WithArguments(["--reuid", "postgres", "--regid", "postgres", "--init-groups", program, .. arguments])
                .WithWorkingDirectory("/")
            : Cli.Wrap(program).WithArguments(arguments);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_started)
            await AsServerUser(PostgresServer.PgCtl.Command, "--pgdata", DataDirectory, "--mode", "fast", "--wait", "stop")
                .WithValidation(CommandResultValidation.None).RunBufferedAsync(TimeSpan.FromMinutes(2));
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        _gate.Dispose();
    }
}
