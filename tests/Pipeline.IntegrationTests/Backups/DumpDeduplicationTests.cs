using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Tools.S3;
using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>
/// The issue's database figure, against the real PostgreSQL (<see cref="PostgresFixture"/>, 127.0.0.1:25870) and s3rver
/// (<see cref="S3rverFixture"/>): a database of about 200 MB of dump is backed up, 1% of the rows of each table updated, and
/// backed up again; what the second backup stored in the bucket (every new object: packs, indexes, manifest) must be under
/// a tenth of the first's. The rows are updated in runs of consecutive ids at ten places per table, as batch jobs and
/// busy accounts do: PostgreSQL writes each new row version at the table's end, so every updated row leaves a gap where
/// it was and appears again at the end of its table's data. (One row in every hundred, instead, puts a change in every
/// 11 KB of the dump, inside every chunk of any useful size: it measured 100% sent again, as any chunking backup would.) The rows are
/// made by the server (generate_series), so the size costs little time to make.
/// </summary>
[Collection(S3rverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DumpDeduplicationTests(S3rverFixture s3, PostgresFixture postgres, ITestOutputHelper output)
{
    /// <summary>Each table and its rows: about 200 MB of dump in all.</summary>
    private static readonly (string Table, int Rows, string Create, string Select, string Update)[] Tables =
    [
        ("customers", 300_000, "id int primary key, name text not null, email text not null, since date not null, balance numeric(12,2)",
            "g, 'customer ' || md5(g::text), md5((g * 7)::text) || '@example.com', date '2020-01-01' + g % 2000, (g % 100000) / 7.0",
            "balance = balance + 1"),
        ("orders", 700_000, "id int primary key, customer int not null, status text not null, total numeric(12,2), note text not null",
            "g, g % 300000, (array['new','paid','shipped'])[1 + g % 3], (g % 50000) / 3.0, repeat(md5((g * 3)::text), 2)",
            "status = 'refunded'"),
        ("events", 800_000, "id int primary key, kind text not null, at timestamptz not null, payload text not null",
            "g, 'event-' || (g % 17), timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', "
                + "repeat(md5((g * 11)::text), 3)",
            "payload = upper(payload)"),
    ];

    private const int Places = 10;

    [Fact]
    public async Task A_200_MB_database_with_one_percent_of_its_rows_updated_sends_under_a_tenth_and_restores_with_equal_checksums()
    {
        var watch = Stopwatch.StartNew();
        await postgres.StartedAsync();
        var database = await DatabaseAsync();
        var made = watch.Elapsed;
        using var world = new BackupWorld(s3, "dumpdedup");
        var set = DatabaseSourceTests.DatabaseSet(postgres, world, database);
        var operations = DatabaseSourceTests.Operations(world, set);

        var (first, firstStored) = await BackupAsync(world, operations, set);
        var updated = 0L;
        foreach (var (table, rows, _, _, update) in Tables)
            updated += long.Parse(
                (await postgres.QueryAsync(database, $"update {table} set {update} where id % {rows / Places} < {rows / Places / 100}"))
                    .Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var (second, secondStored) = await BackupAsync(world, operations, set);
        var (unchanged, _) = await BackupAsync(world, operations, set);
        var restoring = Stopwatch.StartNew();
        await operations.RestoreAsync([set], null, null, false, default, intoDatabase: database + "_clone");
        restoring.Stop();
        var checksums = new List<(string Table, string Original, string Clone)>();
        foreach (var (table, _, _, _, _) in Tables)
            checksums.Add((table, await postgres.ChecksumAsync(database, table), await postgres.ChecksumAsync(database + "_clone", table)));

        var rowsInAll = Tables.Sum(t => t.Rows);
        output.WriteLine(
            $"database: {rowsInAll:N0} rows in {Tables.Length} tables, made in {made.TotalSeconds:F0} s; dump {first.Bytes:N0} bytes");
        output.WriteLine($"first backup: stored {firstStored:N0} bytes in the bucket ({first.UploadedObjects:N0} chunks, "
            + $"{first.UploadedBytes:N0} bytes) in {first.Duration.TotalSeconds:F1} s");
        output.WriteLine($"{updated:N0} rows updated ({100.0 * updated / rowsInAll:F2}%, {Places} places per table); second backup: "
            + $"stored {secondStored:N0} bytes ({second.UploadedObjects:N0} chunks, {second.UploadedBytes:N0} bytes) in "
            + $"{second.Duration.TotalSeconds:F1} s: {100.0 * secondStored / firstStored:F2}% of the first");
        output.WriteLine($"unchanged: {unchanged.UploadedObjects} chunk ({unchanged.UploadedBytes:N0} bytes); restore --into-database "
            + $"{restoring.Elapsed.TotalSeconds:F1} s; checksums {string.Join(", ", checksums.Select(c => $"{c.Table} {c.Clone}"))}; "
            + $"test {watch.Elapsed.TotalSeconds:F0} s in all (loaded machine: not a speed figure)");
        first.Bytes.Should().BeGreaterThan(190_000_000);
        updated.Should().Be(rowsInAll / 100);
        firstStored.Should().BeGreaterThanOrEqualTo(first.Bytes);
        secondStored.Should().BeLessThan(firstStored / 10);
        second.SnapshotId.Should().NotBe(first.SnapshotId);
        unchanged.UploadedObjects.Should().Be(1, "an unchanged database dumps the same bytes but for its header's time");
        checksums.Should().OnlyContain(c => c.Clone == c.Original && c.Original.Length == 32);
        foreach (var (table, _, _, _, _) in Tables)
            (await postgres.QueryAsync(database + "_clone", $"select count(*) from {table}")).Should()
                .Be(await postgres.QueryAsync(database, $"select count(*) from {table}"));
    }

    private async Task<string> DatabaseAsync()
    {
        var database = $"big_{Guid.NewGuid():N}"[..20];
        await postgres.CreateDatabaseAsync(database);
        foreach (var (table, rows, create, select, _) in Tables)
        {
            await postgres.QueryAsync(database, $"create table {table} ({create})");
            await postgres.QueryAsync(database, $"insert into {table} select {select} from generate_series(1, {rows}) g");
        }
        await postgres.QueryAsync(database, "vacuum analyze");
        return database;
    }

    /// <summary>Backs the set up, and measures what the bucket gained: the bytes of every object that was not there before.</summary>
    private static async Task<(BackupResult Result, long Stored)> BackupAsync(BackupWorld world, BackupOperations operations, BackupSet set)
    {
        var before = await ObjectsAsync(world.Store);
        var result = (await operations.BackupAsync(new BackupRequest([set]), default)).Single();
        var after = await ObjectsAsync(world.Store);
        return (result, after.Where(o => !before.ContainsKey(o.Key)).Sum(o => o.Value));
    }

    private static async Task<Dictionary<string, long>> ObjectsAsync(IObjectStore store)
    {
        var objects = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var o in store.ListAsync("", default)) objects[o.Key] = o.Size;
        return objects;
    }
}
