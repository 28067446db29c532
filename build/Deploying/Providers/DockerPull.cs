using Pipeline.Engine;
using Pipeline.Tools.Docker;

namespace Pipeline.Deploying.Providers;

/// <summary>What the deploy needs beyond the shared Docker client (extensions kept in this folder).</summary>
public static class DockerPull
{
    /// <summary>Stops a container; "already stopped" (HTTP 304, e.g. after a killed deploy) is fine.</summary>
    public static async Task StopIfRunningAsync(this DockerClient docker, string id, TimeSpan grace, CancellationToken ct)
    {
        try { await docker.StopContainerAsync(id, grace, ct); }
        catch (DockerApiException e) when (e.Status == System.Net.HttpStatusCode.NotModified) { }
    }

    /// <summary>Pulling by digest: <c>POST /images/create?fromImage=repo@sha256:…</c>; an image present already is not pulled
    /// again.</summary>
    public static async Task EnsureImageAsync(this DockerClient docker, string reference, CancellationToken ct)
    {
        if (await docker.InspectImageAsync(reference, ct) is not null) return;
        if (reference.StartsWith("sha256:", StringComparison.Ordinal))
            throw new PipelineException(
                $"Docker engine {docker.Endpoint}: image {reference} is not there (a local image id cannot be pulled; run Images on that "
                + $"host, or Publish and deploy the digest)"
            );
        Log.Information($"  pulling {reference}…");
        await docker.PullImageAsync(reference, auth: null, onMessage: null, ct);
    }
}
