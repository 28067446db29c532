using Pipeline.Acme;
using Pipeline.Definitions;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Acme;
using Pipeline.Tools.S3;
using Xunit;

namespace Pipeline.IntegrationTests.Acme;

/// <summary>
/// A real Pebble (default nonce rejection and authorization reuse), pebble-challtestsrv and s3rver on
/// 127.0.0.1:221xx for the ACME tests, stopped by pid at the end.
/// </summary>
public sealed class PebbleFixture : IAsyncLifetime
{
    public static readonly PebblePorts Ports = new(22100, 22101, 22102, 22103, 22153, 22155);
    public const int S3Port = 22190;
    public const string Bucket = "acme-tests";

    public AbsolutePath Directory { get; } = new(Path.Combine(Path.GetTempPath(), $"pipeline-acme-tests-{System.Environment.ProcessId}"));
    private LocalServiceManager Services => new(Directory / "services");
    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
    public string TrustFile => PebbleServices.TrustFile(Directory / "pebble");

    public async Task InitializeAsync()
    {
        await Services.StartAsync(PebbleServices.ChallTestSrv(Ports, "acme-tests-challtestsrv"), CancellationToken.None);
        await Services.StartAsync(PebbleServices.Pebble(Directory / "pebble", Ports, "acme-tests-pebble"), CancellationToken.None);
        await Services.StartAsync(S3rver.Spec(Directory / "s3", S3Port, [Bucket], "acme-tests-s3rver"), CancellationToken.None);
    }

    /// <summary>An environment file's certificates: section against this Pebble, its state under a root of its own.</summary>
    public (CertificateSteps Steps, CertificatesDefinition Definition, AbsolutePath Root) EnvironmentWith(string setsYaml, string name)
    {
        var yaml = $"""
            certificates:
              directory: {Ports.DirectoryUrl}
              trust: {TrustFile}
              contact: [mailto:tests@example.com]
              challenge: {"{"} type: http-01, http-port: {Ports.Http01} {"}"}
              backup: {"{"} bucket: {Bucket}, key: "acme/{name}-{Guid.NewGuid():N}/acme.json" {"}"}
              sets:
            {setsYaml}
            """;
        var definition = CertificatesDefinitionLoader.Load(DefinitionFile.Parse(yaml, $"environments/{name}.yml", _ => null), name);
        var root = Directory / "roots" / $"{name}-{Guid.NewGuid():N}";
        return (new CertificateSteps(definition, LayoutIn(root, name)), definition, root);
    }

    /// <summary>A repository-like root's layout for <paramref name="name"/>: state under <c>.nuke/temp/acme/&lt;name&gt;</c>, as the build
    /// keeps it.</summary>
    public static AcmeLayout LayoutIn(AbsolutePath root, string name) => AcmeLayout.Of(root, root / ".nuke" / "temp", name);

    public S3ObjectStore Objects() => new(S3rver.Endpoint(S3Port), Bucket);

    public HttpClient Http() => AcmeHttp.Create(TrustFile);

    public async Task DisposeAsync()
    {
        foreach (var name in new[] { "acme-tests-pebble", "acme-tests-challtestsrv", "acme-tests-s3rver" })
            await Services.StopAsync(name, CancellationToken.None);
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class PebbleCollection : ICollectionFixture<PebbleFixture>
{
    public const string Name = "pebble (acme)";
}
