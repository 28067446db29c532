using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Publishing;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Registry;
using System.Formats.Tar;
using System.Security.Cryptography;
using Xunit;

namespace Pipeline.IntegrationTests.Publishing;

[CollectionDefinition(Name)]
public sealed class PublishingCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "Publishing against real registries";
}

/// <summary>
/// Two real Distribution registries (Debian's docker-registry) with htpasswd auth on 127.0.0.1:21510 and :21511,
/// started the way the build starts its own, and two small images built FROM a <c>docker import</c>ed root file
/// system holding one file (nothing is pulled). Everything is labelled and removed at the end.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public const string Prefix = "pipeline-test-publish-";
    public const string Label = "pipeline-test-publish";
    public const int Port = 21510, SecondPort = 21511;
    public const string User = "tester";

    public string Password { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}");
    public DockerClient Docker { get; } = new();
    public IReadOnlyList<BuiltImage> Images { get; private set; } = [];
    private LocalServiceManager Services => new(new AbsolutePath(Path.Combine(Directory, "services")));

    public RegistryCredentials Credentials => new(User, Password);

    public RegistryDefinition Registry(string ns, int port = Port, string? password = "TestRegistryPassword") =>
        new(
            $"test{port}",
            new RegistryEndpoint($"127.0.0.1:{port}", Tls: false),
            ns,
            "TestRegistryUser",
            password,
            $"environments/test.yml: registries/test{port}"
        );

    public async Task InitializeAsync()
    {
        foreach (var port in new[] { Port, SecondPort })
        {
            var dir = Path.Combine(Directory, $"registry-{port}");
            RegistryService.Prepare(dir, port, User, Password);
            await Services.StartAsync(RegistryService.Spec($"registry-{port}", dir, port), CancellationToken.None);
        }

        var baseImage = $"{Prefix}base";
        using (var rootfs = OneFileRootfs())
            await Docker.ImportImageAsync(rootfs, baseImage, "1", [$"LABEL {Label}=1", "CMD [\"/hello.txt\"]"], CancellationToken.None);
        var images = new List<BuiltImage>();
        foreach (var name in new[] { "heartbeat", "api" })
        {
            var content = $"{name} {Guid.NewGuid()}";
            using var context = Context($"FROM {baseImage}:1\nCOPY app.txt /app.txt\n", content);
            var tag = $"{Prefix}{name}:{Environment.ProcessId}";
            var id = await Docker.BuildImageAsync(
                context,
                new BuildOptions
                {
                    Tags = [tag],
                    Labels = new Dictionary<string, string> { [Label] = "1" },
                },
                null,
                CancellationToken.None
            );
            var hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));
            images.Add(new BuiltImage(name, id, hash, [tag]));
        }
        Images = images;
    }

    public async Task DisposeAsync()
    {
        await Services.StopAllAsync(CancellationToken.None);
        await Docker.RemoveLabelledAsync($"{Label}=1", images: true, CancellationToken.None);
        Docker.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    private static MemoryStream OneFileRootfs()
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(
                new PaxTarEntry(TarEntryType.RegularFile, "hello.txt") { DataStream = new MemoryStream("hello\n"u8.ToArray()) }
            );
        stream.Position = 0;
        return stream;
    }

    private static MemoryStream Context(string dockerfile, string app)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(
                new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile")
                {
                    DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(dockerfile)),
                }
            );
            writer.WriteEntry(
                new PaxTarEntry(TarEntryType.RegularFile, "app.txt")
                {
                    DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(app)),
                }
            );
        }
        stream.Position = 0;
        return stream;
    }
}
