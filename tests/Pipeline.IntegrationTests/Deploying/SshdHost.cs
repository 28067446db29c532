using CliWrap;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Process;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// A real OpenSSH server (Debian's sshd) on 127.0.0.1 started for the tests, with its own host key and one authorized
/// client key; "the host" runs Docker (this machine's engine). Also a second, unrelated host key for the refusal test.
/// </summary>
public sealed class SshdHost : IAsyncDisposable
{
    private readonly LocalServiceManager _services;

    private SshdHost(string directory, int port, LocalServiceManager services) =>
        (Directory, Port, _services) = (directory, port, services);

    public string Directory { get; }
    public int Port { get; }
    public string ClientKey => Path.Combine(Directory, "client_ed25519");
    public string PinnedKnownHosts => Path.Combine(Directory, "known_hosts");
    public string WrongKnownHosts => Path.Combine(Directory, "known_hosts.wrong");
    public string UnknownKnownHosts => Path.Combine(Directory, "known_hosts.unknown");

    /// <summary>The target of this sshd as root with the client key, pinned by <paramref name="knownHosts"/> (default: the right
    /// key).</summary>
    public Pipeline.Tools.Ssh.SshTarget Target(string? knownHosts = null, Pipeline.Tools.Ssh.SshEndpoint? jump = null) =>
        new(new Pipeline.Tools.Ssh.SshEndpoint("127.0.0.1", "root", Port), knownHosts ?? PinnedKnownHosts, ClientKey, jump);

    /// <summary>A group's <c>ssh:</c> value for this sshd (flow style): root with the client key, pinned by
    /// <paramref name="knownHosts"/> (default: the right key).</summary>
    public string GroupSsh(string? knownHosts = null) =>
        $"{{ hosts: [127.0.0.1], user: root, port: {Port}, known_hosts: {knownHosts ?? PinnedKnownHosts}, identity: {ClientKey} }}";

    public static async Task<SshdHost> StartAsync(int port)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("test-deploy-sshd-").FullName;
        foreach (var key in new[] { "host_ed25519", "client_ed25519", "other_ed25519" })
            await Cli.Wrap("ssh-keygen")
                .WithArguments(["-q", "-t", "ed25519", "-N", "", "-C", key, "-f", Path.Combine(directory, key)])
                .RunBufferedAsync();
        File.Copy(Path.Combine(directory, "client_ed25519.pub"), Path.Combine(directory, "authorized_keys"));
        string Pub(string key) => File.ReadAllText(Path.Combine(directory, $"{key}.pub")).Trim();
        File.WriteAllText(Path.Combine(directory, "known_hosts"), $"[127.0.0.1]:{port} {Pub("host_ed25519")}\n");
        File.WriteAllText(Path.Combine(directory, "known_hosts.wrong"), $"[127.0.0.1]:{port} {Pub("other_ed25519")}\n");
        File.WriteAllText(Path.Combine(directory, "known_hosts.unknown"), $"[127.0.0.2]:{port} {Pub("host_ed25519")}\n");
        var config = Path.Combine(directory, "sshd_config");
        File.WriteAllText(config, $"""
            Port {port}
            ListenAddress 127.0.0.1
            HostKey {directory}/host_ed25519
            PidFile {directory}/sshd.pid
            AuthorizedKeysFile {directory}/authorized_keys
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            MaxSessions 50
            MaxStartups 50

            """);
        System.IO.Directory.CreateDirectory("/run/sshd");
        var services = new LocalServiceManager(new AbsolutePath(Path.Combine(directory, "services")));
        await services.StartAsync(new LocalService($"sshd-{port}", "/usr/sbin/sshd", ["-D", "-e", "-f", config], ReadinessProbe.Tcp(port))
        {
            Tools = [Tool.Apt("sshd", "openssh-server")],
        }, CancellationToken.None);
        return new SshdHost(directory, port, services);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.StopAllAsync(CancellationToken.None);
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
