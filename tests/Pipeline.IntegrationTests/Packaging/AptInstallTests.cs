using FluentAssertions;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Xunit;

namespace Pipeline.IntegrationTests.Packaging;

[Collection(PackagingCollection.Name)]
public class AptInstallTests(PackagesFixture fixture)
{
    private const string LocalOnly = "-o Dir::Etc::SourceList=/etc/apt/sources.list.d/pipeline.list -o Dir::Etc::SourceParts=-";

    [RootFact]
    public async Task Apt_installs_heartbeat_from_the_local_repository_and_the_installed_binary_answers()
    {
        var chroot = await fixture.Chroot;
        CopyRepositoryInto(chroot, fixture.RepositoryDirectory);

        var install = await chroot.RunAsync(
            $"dpkg --purge heartbeat >/dev/null 2>&1 || true; apt-get {LocalOnly} update && apt-get {LocalOnly} install -y heartbeat && " +
            "id heartbeat && stat -c '%U:%G %a' /etc/default/heartbeat && dpkg-query -W -f='${Version}' heartbeat");

        install.ExitCode.Should().Be(0, install.StandardOutput + install.StandardError);
        install.StandardOutput.Should().Contain("uid=").And.Contain("root:heartbeat 640").And.EndWith(fixture.Heartbeat.Version);

        var port = FreePort();
        using var process = chroot.Start("heartbeat", "/usr/bin/heartbeat", new Dictionary<string, string>
        {
            ["HEARTBEAT_BIND"] = "127.0.0.1",
            ["HEARTBEAT_PORT"] = port.ToString(),
            ["HEARTBEAT_INSTANCE"] = "chroot-test",
        });
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var body = await GetWhenUpAsync(client, "/heartbeat");

            body.GetProperty("version").GetString().Should().Be(fixture.Heartbeat.Version);
            body.GetProperty("instance").GetString().Should().Be("chroot-test");

            Kill(process.Id, 15).Should().Be(0);
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token);
            process.ExitCode.Should().Be(0, "SIGTERM is a graceful shutdown");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>A copy, not a bind mount: nothing to unmount if the test dies.</summary>
    private static void CopyRepositoryInto(DebianChroot chroot, string repository)
    {
        var target = Path.Combine(chroot.Root, "srv", "apt");
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        foreach (var file in Directory.GetFiles(repository, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(repository, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        File.WriteAllText(Path.Combine(chroot.Root, "etc/apt/sources.list.d/pipeline.list"), "deb [trusted=yes] file:/srv/apt ./\n");
    }

    private static async Task<JsonElement> GetWhenUpAsync(HttpClient client, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try { return await client.GetFromJsonAsync<JsonElement>(path); }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline) { await Task.Delay(200); }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
