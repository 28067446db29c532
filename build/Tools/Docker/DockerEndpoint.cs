using Pipeline.Engine;

namespace Pipeline.Tools.Docker;

/// <summary>
/// Where the Docker engine listens: a unix socket (the default <c>/var/run/docker.sock</c>) or a loopback TCP port,
/// read from <c>DOCKER_HOST</c> (<c>unix:///path</c> or <c>tcp://127.0.0.1:2375</c>).
/// </summary>
public sealed record DockerEndpoint(string? SocketPath, string? Host, int Port)
{
    public const string DefaultSocket = "/var/run/docker.sock";

    public static DockerEndpoint Default { get; } = new(DefaultSocket, null, 0);

    public bool IsUnix => SocketPath is not null;

    /// <summary>The endpoint <c>DOCKER_HOST</c> names, or the default socket when it is unset.</summary>
    public static DockerEndpoint FromEnvironment() => Parse(Environment.GetEnvironmentVariable("DOCKER_HOST"));

    public static DockerEndpoint Parse(string? dockerHost)
    {
        if (string.IsNullOrWhiteSpace(dockerHost)) return Default;
        if (dockerHost.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = dockerHost["unix://".Length..];
            return path.Length > 0 ? new DockerEndpoint(path, null, 0) : throw Bad(dockerHost);
        }
        if (dockerHost.StartsWith("tcp://", StringComparison.Ordinal) || dockerHost.StartsWith("http://", StringComparison.Ordinal))
        {
            if (
                !Uri.TryCreate(dockerHost.Replace("tcp://", "http://", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Port <= 0
            )
                throw Bad(dockerHost);
            if (uri.Host is not ("127.0.0.1" or "localhost" or "[::1]"))
                throw new UsageException(
                    $"DOCKER_HOST={dockerHost}: only a loopback engine (127.0.0.1) is supported without TLS (use an SSH tunnel or a unix "
                    + $"socket)"
                );
            return new DockerEndpoint(null, uri.Host, uri.Port);
        }
        throw Bad(dockerHost);
    }

    /// <summary>The endpoint as Docker.DotNet takes it: <c>unix:///path</c> or <c>tcp://host:port</c>.</summary>
    public Uri Uri => new(ToString());

    public override string ToString() => IsUnix ? $"unix://{SocketPath}" : $"tcp://{Host}:{Port}";

    private static UsageException Bad(string value) =>
        new($"DOCKER_HOST={value} is not understood (use unix:///var/run/docker.sock or tcp://127.0.0.1:2375)");
}
