using Pipeline.Tools.Docker;
using System.Formats.Tar;
using Xunit;

namespace Pipeline.IntegrationTests.Tools.Docker;

/// <summary>
/// The real engine (DOCKER_HOST or /var/run/docker.sock) and a tiny busybox image imported once from the host's
/// static busybox, labelled so everything the tests create is removed at the end.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    public const string Prefix = "pipeline-test-images-";
    public const string Label = "pipeline-test-images";
    /// <summary>This test run's label value: runs in other worktrees at the same time keep their own objects.</summary>
    public static readonly string RunId = $"{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
    public static readonly string LabelFilter = $"{Label}={RunId}";
    /// <summary>Image name prefixes this run's bake tests used (their debootstrap bases carry no test label).</summary>
    public static readonly System.Collections.Concurrent.ConcurrentBag<string> Prefixes = [];

    public DockerClient Client { get; } = new();
    public string Busybox { get; } = $"{Prefix}busybox:{Environment.ProcessId}";

    public async Task InitializeAsync()
    {
        await LocalEngine.EnsureRunningAsync(Client, CancellationToken.None);
        using var tar = BusyboxRootfs();
        await Client.ImportImageAsync(
            tar,
            Busybox.Split(':')[0],
            Busybox.Split(':')[1],
            [$"LABEL {Label}={RunId}", "CMD [\"/bin/sh\"]"],
            CancellationToken.None
        );
    }

    public async Task DisposeAsync()
    {
        await Client.RemoveLabelledAsync(LabelFilter, images: true, CancellationToken.None);
        // Images without the label (debootstrap bases imported by bake tests) go by their name.
        var named = (await Client.ListImagesAsync(null, null, CancellationToken.None))
            .Where(i => i.Tags.Any(t => Prefixes.Any(p => t.StartsWith(p, StringComparison.Ordinal))))
            .Select(i => i.Id).ToList();
        await Client.RemoveImagesAsync(named, CancellationToken.None);
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
                writer.WriteEntry(
                    new PaxTarEntry(TarEntryType.Directory, dir) { Mode = dir == "tmp/" ? (UnixFileMode)0x3FF : (UnixFileMode)0x1ED }
                );
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox")
            {
                Mode = (UnixFileMode)0x1ED,
                DataStream = new MemoryStream(File.ReadAllBytes(busybox)),
            });
            foreach (
                var applet in new[]
                {
                    "sh",
                    "echo",
                    "cat",
                    "sleep",
                    "ls",
                    "wget",
                    "nc",
                    "env",
                    "test",
                    "false",
                    "true",
                    "mkdir",
                    "chmod",
                    "id",
                    "touch",
                }
            )
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
