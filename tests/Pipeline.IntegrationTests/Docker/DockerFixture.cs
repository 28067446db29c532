using System.Formats.Tar;
using Pipeline.Tools.Docker;
using Xunit;

namespace Pipeline.IntegrationTests.Docker;

/// <summary>
/// The real engine (DOCKER_HOST or /var/run/docker.sock) and a tiny busybox image imported once from the host's
/// static busybox, labelled so everything the tests create is removed at the end.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    public const string Prefix = "pipeline-test-images-";
    public const string Label = "pipeline-test-images";
    public static readonly string LabelFilter = $"{Label}=1";

    public DockerClient Client { get; } = new();
    public string Busybox { get; } = $"{Prefix}busybox:{Environment.ProcessId}";

    public async Task InitializeAsync()
    {
        if (!await Client.PingAsync(CancellationToken.None))
            throw new InvalidOperationException($"No Docker engine answers at {Client.Endpoint}: start dockerd (./build.sh Up).");
        using var tar = BusyboxRootfs();
        await Client.ImportImageAsync(tar, Busybox.Split(':')[0], Busybox.Split(':')[1], [$"LABEL {Label}=1", "CMD [\"/bin/sh\"]"], CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Client.RemoveLabelledAsync(LabelFilter, images: true, CancellationToken.None);
        // Images without the label (debootstrap bases imported by bake tests) go by their name.
        foreach (var image in await Client.ListImagesAsync(null, null, CancellationToken.None))
            if (image.Tags.Any(t => t.StartsWith(Prefix, StringComparison.Ordinal)))
                await Client.RemoveImageAsync(image.Id, force: true, CancellationToken.None);
        Client.Dispose();
    }

    /// <summary>A root file system with /bin/busybox (static) and its applets as symbolic links.</summary>
    public static MemoryStream BusyboxRootfs()
    {
        const string busybox = "/bin/busybox";
        if (!File.Exists(busybox)) throw new InvalidOperationException("Needs the static busybox (apt-get install -y busybox-static).");
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var dir in new[] { "bin/", "tmp/", "etc/", "proc/", "sys/", "dev/", "root/" })
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, dir) { Mode = dir == "tmp/" ? (UnixFileMode)0x3FF : (UnixFileMode)0x1ED });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox")
            {
                Mode = (UnixFileMode)0x1ED,
                DataStream = new MemoryStream(File.ReadAllBytes(busybox)),
            });
            foreach (var applet in new[] { "sh", "echo", "cat", "sleep", "ls", "wget", "nc", "env", "test", "false", "true", "mkdir", "chmod", "id", "touch" })
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, $"bin/{applet}") { LinkName = "busybox" });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/passwd")
            {
                DataStream = new MemoryStream("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"u8.ToArray()),
            });
        }
        stream.Position = 0;
        return stream;
    }
}

[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "docker engine (pipeline-test-images)";
}
