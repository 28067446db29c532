using Pipeline.Backups;
using Pipeline.Definitions;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.S3;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// Production's S3 as its jobs reach it: a real s3rver on this machine's loopback, which the machines reach by
/// production.yml's endpoint name and each bucket's virtual host (<see cref="HttpsStandIns"/>). Its deploy lock's bucket
/// (lock/s3_bucket) is there, empty, for the deploy-production job. Its backup bucket, for the nightly's backup jobs, holds
/// one snapshot of each of production.yml's sets, made by the product's own backup code as the monitoring host makes
/// them (sources of a few files here instead of /var/lib/...), encrypted under the passphrase that the production-backups
/// environment's secrets hold.
/// </summary>
public sealed class ProductionBackupsStandIn : IAsyncDisposable
{
    public const string Passphrase = "nightly stand-in passphrase, not a secret anywhere else";
    private readonly LocalServiceManager _services;

    private ProductionBackupsStandIn(LocalServiceManager services, HttpsStandIn standIn) => (_services, StandIn) = (services, standIn);

    /// <summary>The public names (the endpoint's host and the bucket's virtual host) and the s3rver's port.</summary>
    public HttpsStandIn StandIn { get; }

    /// <summary>What the production-backups environment holds: the bucket's keys (s3rver's) and the repository's passphrase.</summary>
    public static IReadOnlyDictionary<string, string> Secrets { get; } = new Dictionary<string, string>
    {
        ["S3_ACCESS_KEY"] = S3Endpoint.S3rverDefaultKey,
        ["S3_SECRET_KEY"] = S3Endpoint.S3rverDefaultKey,
        ["BACKUP_PASSPHRASE"] = Passphrase,
    };

    public static async Task<ProductionBackupsStandIn> StartAsync(string folder, CancellationToken ct)
    {
        var environment = DefinitionFile.Load(
            Path.Combine(Packaging.RepositoryRoot.Path, "environments", "production.yml"), "environments/production.yml");
        var endpoint = new Uri(S3Definition.Load(environment).Endpoint);
        var definition = BackupsDefinition.Load(environment, new AbsolutePath(Packaging.RepositoryRoot.Path));
        var lockBucket = environment.Required("lock").Required("s3_bucket").String();
        var buckets = definition.Sets.Select(s => s.Bucket).Append(lockBucket).Distinct().ToList();
        var port = HttpsStandIn.FreePort();
        var services = new LocalServiceManager(new AbsolutePath(Path.Combine(folder, "services")));
        await services.StartAsync(S3rver.Spec(Path.Combine(folder, "data"), port, buckets, name: "s3rver-production"), ct);

        var sets = definition.Sets.Select(set => set with
        {
            Sources = [.. set.Sources.Select(source => source with { Path = Source(folder, set, source) })],
        }).ToList();
        var operations = new BackupOperations(
            definition with { Sets = sets },
            S3rver.Endpoint(port),
            BackupState.In(new AbsolutePath(Path.Combine(folder, "state"))),
            new RepositoryAccess(Passphrase) { EncryptNew = true }
        );
        await operations.BackupAsync(new BackupRequest(sets), ct);
        var names = buckets.Select(b => $"{b}.{endpoint.Host}").Prepend(endpoint.Host).ToList();
        return new ProductionBackupsStandIn(services, new HttpsStandIn(names, port));
    }

    /// <summary>A few files standing in for what the set's source holds on the monitoring host.</summary>
    private static string Source(string folder, BackupSet set, BackupSource source)
    {
        var path = Directory.CreateDirectory(Path.Combine(folder, "sources", set.Name, source.Name)).FullName;
        File.WriteAllText(Path.Combine(path, "README"), $"{set.Name}/{source.Name}, backed up for the nightly's drill\n");
        Directory.CreateDirectory(Path.Combine(path, "nested"));
        File.WriteAllBytes(Path.Combine(path, "nested", "data.bin"), [.. Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7))]);
        return path;
    }

    public async ValueTask DisposeAsync() => await _services.StopAllAsync(CancellationToken.None);
}
