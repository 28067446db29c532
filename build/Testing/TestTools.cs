using Pipeline.Acme;
using Pipeline.Baking;
using Pipeline.Benchmarks;
using Pipeline.Deploying.Outputs;
using Pipeline.Dns;
using Pipeline.Engine;
using Pipeline.Publishing;
using Pipeline.Tools.Docker;
using Pipeline.Tools.S3;

namespace Pipeline.Testing;

/// <summary>
/// Every executable the test suites and their fixtures start, declared once so that <c>./build.sh Test</c> installs them
/// (as root) or names the one command to run. The integration tests drive the real targets, so this covers the tools
/// those targets declare too; <c>ToolDeclarationTests</c> scans the tests' sources and fails on any tool started but
/// not declared here.
/// </summary>
public static class TestTools
{
    /// <summary>
    /// Commands of Debian's Essential packages (coreutils, findutils, tar, util-linux, dash, dpkg, apt) and the .NET SDK
    /// that runs the tests: present on every machine, never installed. flock, cut and tar run on the test ssh
    /// hosts (the lock store's and remote backup sources' shell), which are this machine.
    /// </summary>
    public static IReadOnlySet<string> BaseSystem { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "dotnet", "sh", "bash", "find", "rm", "tar", "sha256sum", "cut", "setsid", "unshare", "flock", "apt-get", "dpkg", "chown",
    };

    public static IReadOnlyList<Tool> Started { get; } =
    [
        // Docker: the engine, its CLI, compose for ClusterTest, the registry and the copying tools of Publish.
        DockerDaemon.Tool, Tool.Apt("docker", "docker.io"), Tool.Apt("docker-compose"),
        RegistryService.RegistryTool, RegistryService.HtpasswdTool, Tool.Apt("skopeo"),
        // Certificates: Pebble, its challenge server, HAProxy for the hitless install, curl for the DNS-01 hook.
        PebbleServices.PebbleTool, PebbleServices.ChallTestSrvTool, Tool.Apt("haproxy"), Tool.Apt("curl"),
        // Backups and the ACME state: s3rver.
        S3rver.Tool,
        // Dns: BIND 9 as the authoritative server the rfc2136 provider updates, dig to read it as an operator would.
        BindService.Named, BindService.Dig,
        // Deploy and remote backup sources: sshd hosts (reached with SSH.NET, no ssh client) and ssh-keygen for their
        // keys, the busybox stand-in app, etcd for outputs.
        Tool.Apt("sshd", "openssh-server"), Tool.Apt("ssh-keygen", "openssh-client"), HeartbeatStandIn.Busybox, EtcdService.Tool,
        // Packages and Images: the Debian package tools, the signing key, the base image.
        .. DebootstrapCache.Tools, Tool.Apt("lintian"), Tool.Apt("dpkg-deb", "dpkg"),
        Tool.Apt("gpg"), Tool.Apt("gpgconf"), Tool.Apt("gpgv"), Tool.Apt("git"),
        // The paced load of the blue/green switch test (hey, stopped with kill -INT).
        .. PacedLoad.Tools,
        // Monitoring: Prometheus and its rule checker, Alertmanager's config checker.
        Monitoring.MonitoringTools.Prometheus, Monitoring.MonitoringTools.Promtool, Monitoring.MonitoringTools.Amtool,
        // Database backup sources: a PostgreSQL server of the tests' own (initdb, pg_ctl, run as the postgres user through
        // setpriv when the tests run as root, which postgres refuses) and the client tools the targets declare.
        Tools.Postgres.PostgresServer.Initdb, Tools.Postgres.PostgresServer.PgCtl, Tool.Apt("setpriv", "util-linux"),
        .. Tools.Postgres.PostgresCommands.Tools,
        // The generated workflows' validators, and their local runner: a network namespace per job machine (ip, iptables,
        // nsenter), a mount namespace per command for the machine's /etc/hosts (unshare, mount), a user of its own for
        // the steps (useradd, userdel, pkill; setpriv above) and sudo, which the workflows' steps call as on a hosted runner.
        Build.ActionValidator, Build.Actionlint,
        Tool.Apt("ip", "iproute2"), Tool.Apt("iptables"), Tool.Apt("nsenter", "util-linux"), Tool.Apt("unshare", "util-linux"),
        Tool.Apt("mount"), Tool.Apt("sudo"), Tool.Apt("useradd", "passwd"), Tool.Apt("userdel", "passwd"),
        Tool.Apt("pkill", "procps"),
        // The cloud tests' referee: the official AWS and Google SDKs in a node script (npm ci from its package-lock.json).
        Tool.Apt("node", "nodejs"), Tool.Apt("npm"),
        // The control plane's browser tests: Playwright drives Debian's Chromium (ExecutablePath, no browser download).
        Tool.Apt("chromium"),
    ];
}
