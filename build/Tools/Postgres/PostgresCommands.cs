using CliWrap;
using Pipeline.Engine;

namespace Pipeline.Tools.Postgres;

/// <summary>
/// The PostgreSQL client commands, as argv lists (never a shell): pg_dump in custom format to standard output, pg_restore
/// from standard input into a database, createdb, dropdb and psql for one query. Each runs with the connection's
/// environment (the password as PGPASSWORD), never with the password in its arguments.
/// </summary>
public static class PostgresCommands
{
    public static Tool PgDump => Tool.Apt("pg_dump", "postgresql-client");
    public static Tool PgRestore => Tool.Apt("pg_restore", "postgresql-client");
    public static Tool Createdb => Tool.Apt("createdb", "postgresql-client");
    public static Tool Dropdb => Tool.Apt("dropdb", "postgresql-client");
    public static Tool Psql => Tool.Apt("psql", "postgresql-client");

    public static IReadOnlyList<Tool> Tools => [PgDump, PgRestore, Createdb, Dropdb, Psql];

    /// <summary>pg_dump in custom format (-Fc) to standard output; uncompressed by default (level 0), so that unchanged rows
    /// stay the same bytes from one dump to the next and deduplicate.</summary>
    public static IReadOnlyList<string> DumpArguments(PostgresConnection connection, string database, int compression = 0) =>
        [.. connection.Options, "--format=custom", $"--compress={compression}", "--dbname", database];

    /// <summary>pg_restore of a custom-format archive read from standard input into <paramref name="database"/>, stopping at
    /// the first error; objects get the restoring user as owner (the clone may live where the original roles do not).</summary>
    public static IReadOnlyList<string> RestoreArguments(PostgresConnection connection, string database) =>
        [.. connection.Options, "--exit-on-error", "--no-owner", "--no-acl", "--dbname", database];

    public static IReadOnlyList<string> CreateArguments(PostgresConnection connection, string database) =>
        [.. connection.Options, "--maintenance-db", "postgres", database];

    public static IReadOnlyList<string> DropArguments(PostgresConnection connection, string database) =>
        [.. connection.Options, "--maintenance-db", "postgres", "--if-exists", "--force", database];

    /// <summary>psql running one statement, its result unaligned and without headers (one value reads as itself).</summary>
    public static IReadOnlyList<string> QueryArguments(PostgresConnection connection, string database, string sql) =>
        [.. connection.Options, "--no-psqlrc", "--tuples-only", "--no-align", "--set", "ON_ERROR_STOP=1", "--dbname", database,
            "--command", sql];

    public static Command Dump(PostgresConnection connection, string database, int compression = 0) =>
        Wrap("pg_dump", connection, DumpArguments(connection, database, compression));

    public static Command Restore(PostgresConnection connection, string database) =>
        Wrap("pg_restore", connection, RestoreArguments(connection, database));

    public static Command Create(PostgresConnection connection, string database) =>
        Wrap("createdb", connection, CreateArguments(connection, database));

    public static Command Drop(PostgresConnection connection, string database) =>
        Wrap("dropdb", connection, DropArguments(connection, database));

    public static Command Query(PostgresConnection connection, string database, string sql) =>
        Wrap("psql", connection, QueryArguments(connection, database, sql));

    private static Command Wrap(string tool, PostgresConnection connection, IReadOnlyList<string> arguments) =>
        Cli.Wrap(tool).WithArguments(arguments).WithEnvironmentVariables(connection.Environment);
}
