using Pipeline.Engine;
using Pipeline.Engine.Services;

namespace Pipeline.Deploying.Outputs;

/// <summary>
/// A single-member etcd (Debian's etcd-server) on 127.0.0.1 with its own data directory: where the tests (and a local
/// environment that wants the etcd output) keep the member keys.
/// </summary>
public static class EtcdService
{
    public static Tool Tool { get; } = Engine.Tool.Apt("etcd", "etcd-server");

    public static LocalService Spec(string directory, int clientPort, int peerPort)
    {
        var client = $"http://127.0.0.1:{clientPort}";
        var peer = $"http://127.0.0.1:{peerPort}";
        return new LocalService($"etcd-{clientPort}", "/usr/bin/etcd",
        [
            "--name", "pipeline", "--data-dir", Path.Combine(directory, "data"),
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"pipeline={peer}", "--initial-cluster-state", "new",
            "--log-level", "warn",
        ], ReadinessProbe.Tcp(clientPort))
        {
            Tools = [Tool],
        };
    }
}
