using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>
/// <c>postgres:</c> sources against a real PostgreSQL server and s3rver: an encrypted repository, a restore refused over an
/// existing database, damage refused. The 200 MB figure (a changed database dumped again sends little, and its clone's
/// rows match) is <see cref="DumpDeduplicationTests"/>.
/// </summary>
[Collection(S3rverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DatabaseSourceTests(S3rverFixture s3, PostgresFixture postgres)
{
    [Fact]
    public async Task In_an_encrypted_repository_the_dump_is_sealed_verified_kept_by_prune_and_restored()
    {
        await postgres.StartedAsync();
        var database = await DatabaseAsync("sealed", 10);
        using var world = new BackupWorld(s3, "postgres-sealed");
        var set = DatabaseSet(postgres, world, database);
        var access = new RepositoryAccess(KeyFile: Path.Combine(world.Root, "repo.key"));
        var operations = new BackupOperations(new BackupsDefinition([set], TimeSpan.Zero, 4, null), _ => world.Store, world.State, access)
        {
            PostgresPassword = PostgresFixture.Password,
        };
        await BackupAsync(operations, set);
        await postgres.QueryAsync(database, "update t set n = n + 1 where id % 100 = 0");
        await BackupAsync(operations, set);

        await operations.PruneAsync([set], dryRun: false, default);
        var verified = await operations.VerifyAsync([set], default);
        await operations.RestoreAsync([set], null, null, false, default, intoDatabase: database + "_clone");

        verified.Single().Problems.Should().BeEmpty();
        (await postgres.ChecksumAsync(database + "_clone", "t")).Should().Be(await postgres.ChecksumAsync(database, "t"));
        var raw = new List<string>();
        await foreach (var o in world.Store.ListAsync("", default)) raw.Add(o.Key);
        raw.Should().NotContain(k => k.Contains(database, StringComparison.Ordinal), "the provider sees no database name");
    }

    [Fact]
    public async Task Restore_into_an_existing_database_is_refused_and_leaves_it_untouched()
    {
        await postgres.StartedAsync();
        var database = await DatabaseAsync("keep", 1);
        using var world = new BackupWorld(s3, "postgres-exists");
        var set = DatabaseSet(postgres, world, database);
        var operations = Operations(world, set);
        await BackupAsync(operations, set);
        var before = await postgres.ChecksumAsync(database, "t");

        var restore = () => operations.RestoreAsync([set], null, null, false, default, intoDatabase: database);

        (await restore.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain("already exists");
        (await postgres.ChecksumAsync(database, "t")).Should().Be(before);
    }

    [Fact]
    public async Task A_corrupt_chunk_is_refused_naming_its_pack_and_the_half_restored_database_is_dropped()
    {
        await postgres.StartedAsync();
        var database = await DatabaseAsync("damaged", 12);
        using var world = new BackupWorld(s3, "postgres-damaged");
        var set = DatabaseSet(postgres, world, database);
        var operations = Operations(world, set);
        await BackupAsync(operations, set);
        var manifest = await world.LatestAsync(set);
        var second = DatabaseBackup.Chunks(manifest.Sources.Single())[1];
        var at = (await new PackCatalog(world.Store).LoadAsync(default)).Locations()[second.Sha256];
        var key = RepositoryLayout.Pack(at.Pack);
        world.FlipStoredByte(s3, key, at.Offset + 1000);

        var restore = () => operations.RestoreAsync([set], null, null, false, default, intoDatabase: database + "_clone");

        (await restore.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain(key).And.Contain("corrupt");
        (await postgres.DatabasesAsync()).Should().NotContain(database + "_clone");
    }

    [Fact]
    public async Task Restore_without_a_target_database_never_writes_over_the_live_one()
    {
        using var world = new BackupWorld(s3, "postgres-usage");
        var set = DatabaseSet(postgres, world, "anything");

        var restore = () => Operations(world, set).RestoreAsync([set], null, null, false, default);

        (await restore.Should().ThrowAsync<UsageException>()).Which.Message.Should().Contain("--into-database");
    }

    /// <summary>A new database holding a table t of about <paramref name="megabytes"/> MB of rows (id, n, a 96-character text).</summary>
    private async Task<string> DatabaseAsync(string name, int megabytes)
    {
        var database = $"{name}_{Guid.NewGuid():N}"[..20];
        await postgres.CreateDatabaseAsync(database);
        var rows = megabytes * 9_000;
        await postgres.QueryAsync(database, "create table t (id int primary key, n int not null, payload text not null)");
        await postgres.QueryAsync(database, $"insert into t select g, g % 1000, repeat(md5(g::text), 3) from generate_series(1, {rows}) g");
        return database;
    }

    internal static BackupSet DatabaseSet(PostgresFixture postgres, BackupWorld world, string database, params DrillCheck[] checks)
    {
        var source = new PostgresSource(postgres.Server, database, checks);
        return new BackupSet("db", [new BackupSource(source.Name, SourceKind.Postgres, database) { Postgres = source }], [],
            S3rverFixture.Bucket, world.Store.Prefix.TrimEnd('/'), RetentionPolicy.Default(TimeZoneInfo.Utc));
    }

    /// <summary>The source names its server without the password; it comes as --postgres-password would give it.</summary>
    internal static BackupOperations Operations(BackupWorld world, params BackupSet[] sets) =>
        new(new BackupsDefinition(sets, TimeSpan.FromHours(1), 4, null), _ => world.Store, world.State)
        {
            PostgresPassword = PostgresFixture.Password,
        };

    private static async Task<BackupResult> BackupAsync(BackupOperations operations, BackupSet set) =>
        (await operations.BackupAsync(new BackupRequest([set]), default)).Single();
}
