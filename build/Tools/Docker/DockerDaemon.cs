using Pipeline.Engine;
using Pipeline.Engine.Services;

namespace Pipeline.Tools.Docker;

/// <summary>The Docker engine as a local service: Debian's docker.io, started only when nothing answers on its socket.</summary>
public static class DockerDaemon
{
    public static Tool Tool { get; } = Tool.Apt("dockerd", "docker.io");

    /// <summary>
    /// <c>dockerd</c> with its defaults, ready when its unix socket accepts. When an engine already answers there,
    /// the service manager keeps it and starts nothing.
    /// </summary>
    public static LocalService Spec(string socketPath = DockerEndpoint.DefaultSocket) =>
        new("dockerd", "/usr/sbin/dockerd",
            socketPath == DockerEndpoint.DefaultSocket ? [] : ["--host", $"unix://{socketPath}"],
            ReadinessProbe.UnixSocket(socketPath))
        {
            Tools = [Tool],
            StartTimeout = TimeSpan.FromSeconds(60),
        };
}
