using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.IntegrationTests.Packaging;
using Pipeline.Tools.Docker;

namespace Pipeline.IntegrationTests.Tools.Docker;

/// <summary>
/// The Docker engine the integration tests use: DOCKER_HOST when set, otherwise the local socket, with dockerd
/// started the way the build starts it when nothing answers there (recorded under .nuke/temp/services, so
/// <c>./build.sh Down</c> stops it). The tests start their own services; nothing has to run beforehand.
/// </summary>
internal static class LocalEngine
{
    public static async Task EnsureRunningAsync(DockerClient client, CancellationToken ct)
    {
        if (await client.PingAsync(ct)) return;
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is { } host)
            throw new InvalidOperationException(
                $"No Docker engine answers at DOCKER_HOST={host}: start it, or unset DOCKER_HOST to let the tests start dockerd."
            );
        // The manager starts it under its per-service file lock, and not at all when it answers by then.
        var services = new LocalServiceManager(AbsolutePath.Parse(Path.Combine(".nuke", "temp", "services"), RepositoryRoot.Path));
        await services.StartAsync(DockerDaemon.Spec(), ct);
        if (!await client.PingAsync(ct))
            throw new InvalidOperationException(
                $"No Docker engine answers at {client.Endpoint} after starting dockerd; see .nuke/temp/services/dockerd.log."
            );
    }
}
