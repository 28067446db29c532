using CliWrap;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Process;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// One of staging's hosts at its address (10.20.0.11, ...): a network namespace on the stand-in bridge, a real OpenSSH
/// server on port 22 presenting the host key that environments/staging.known_hosts pins (its example private half is in
/// StagingHosts/), the user <c>deploy</c> (an /etc/passwd of the host's own) with the stand-in's client key, and a Docker
/// engine of its own that pulls from ghcr.io's stand-in with the login a team gives its hosts once. Its /var/log and
/// /run/lock are folders of its own.
/// </summary>
public sealed class StagingHost : IAsyncDisposable
{
    private readonly LocalServiceManager _services;
    private readonly CancellationTokenSource _stop = new();
    private Task? _sshd;

    private StagingHost(string folder, string address, LocalServiceManager services) =>
        (Folder, Address, _services) = (folder, address, services);

    public string Folder { get; }
    public string Address { get; }
    public string Netns => $"plrs{Address.Split('.')[^1]}";
    public string DockerHost => $"unix://{Path.Combine(Folder, "docker.sock")}";
    private HostForward? _registry;

    public static async Task<StagingHost> StartAsync(
        string folder,
        string address,
        string gateway,
        string bridge,
        string authorizedKey,
        HttpsStandIns https,
        CancellationToken ct
    )
    {
        foreach (var dir in new[] { "home/.docker", "log", "lock" }) Directory.CreateDirectory(Path.Combine(folder, dir));
        var host = new StagingHost(folder, address, new LocalServiceManager(new AbsolutePath(Path.Combine(folder, "services"))));
        var (netns, outside, inside) = (host.Netns, $"{host.Netns}h", $"{host.Netns}g");
        await Cli.Wrap("ip").WithArguments(["netns", "del", netns]).WithValidation(CommandResultValidation.None).RunBufferedAsync(ct);
        await MachineShell.NamespaceAsync(netns, outside, inside, $"{address}/24", gateway, ct);
        await MachineShell.Ip(ct, "link", "set", outside, "master", bridge, "up");

        var hosts = await MachineShell.HostsFileAsync(folder, [.. https.Names], ct);
        await host._services.StartAsync(MachineShell.Engine(netns, folder, [new(hosts, "/etc/hosts")], https.TrustBundle), ct);
        host._registry = new HostForward(netns, 443, https.OpenAsync);
        await host.StartSshdAsync(hosts, authorizedKey, ct);
        return host;
    }

    /// <summary>The engine's registry login, as <c>docker login</c> would have written it for the deploy user.</summary>
    public Task LogInAsync(string registry, string user, string password, CancellationToken ct)
    {
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}"));
        return File.WriteAllTextAsync(Path.Combine(Folder, "home", ".docker", "config.json"),
            System.Text.Json.JsonSerializer.Serialize(new { auths = new Dictionary<string, object> { [registry] = new { auth } } }), ct);
    }

    private async Task StartSshdAsync(string hosts, string authorizedKey, CancellationToken ct)
    {
        var key = Path.Combine(Folder, "ssh_host_ed25519_key");
        File.Copy(Path.Combine(Packaging.RepositoryRoot.Path, "tests", "Pipeline.IntegrationTests", "CI", "Runner", "StagingHosts",
            $"ssh_host_ed25519_key.{Address}"), key);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Copy(authorizedKey, Path.Combine(Folder, "authorized_keys"));
        var passwd = Path.Combine(Folder, "passwd");
        await File.WriteAllTextAsync(passwd, (await File.ReadAllTextAsync("/etc/passwd", ct)).TrimEnd()
            + $"\ndeploy:x:0:0:deploy:{Path.Combine(Folder, "home")}:/bin/bash\n", ct);
        var config = Path.Combine(Folder, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            Port 22
            ListenAddress {Address}
            HostKey {key}
            PidFile {Path.Combine(Folder, "sshd.pid")}
            AuthorizedKeysFile {Path.Combine(Folder, "authorized_keys")}
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            SetEnv DOCKER_HOST={DockerHost}
            MaxSessions 50
            MaxStartups 50

            """, ct);
        Directory.CreateDirectory("/run/sshd");
        MachineBind[] binds =
            [new(hosts, "/etc/hosts"), new(passwd, "/etc/passwd"), new(Path.Combine(Folder, "log"), "/var/log"),
             new(Path.Combine(Folder, "lock"), "/run/lock")];
        var argv = MachineShell.Inside(Netns, binds, "/usr/sbin/sshd", "-D", "-e", "-f", config);
        var log = Path.Combine(Folder, "sshd.log");
        _sshd = Cli.Wrap(argv[0]).WithArguments(argv[1..]).WithValidation(CommandResultValidation.None)
            .WithStandardErrorPipe(PipeTarget.ToFile(log)).RunAsync(_stop.Token);
        for (var tries = 0; ; tries++)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(Address, 22, ct);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (tries < 100 && !_sshd.IsCompleted) { await Task.Delay(100, ct); }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new IOException($"sshd of {Address} did not listen: {await File.ReadAllTextAsync(log, ct)}", e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_sshd is not null) try { await _sshd; } catch (OperationCanceledException) { }
        if (_registry is not null) await _registry.DisposeAsync();
        await _services.StopAllAsync(CancellationToken.None);
        await Cli.Wrap("ip").WithArguments(["netns", "del", Netns]).WithValidation(CommandResultValidation.None).RunBufferedAsync();
        await Cli.Wrap("rm").WithArguments(["-rf", "--one-file-system", Folder]).WithValidation(CommandResultValidation.None)
            .RunBufferedAsync();
        _stop.Dispose();
    }
}
