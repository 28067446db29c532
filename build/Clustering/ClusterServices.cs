using Pipeline.Engine;
using Pipeline.Tools.Docker;

namespace Pipeline.Clustering;

/// <summary>The containers of one compose project, found through the Engine API by compose's labels.</summary>
public sealed class ClusterServices(DockerClient docker, ClusterProject project)
{
    public DockerClient Docker => docker;
    public ClusterProject Project => project;

    public async Task<IReadOnlyList<ContainerSummary>> ContainersAsync(CancellationToken ct) =>
        await docker.ListContainersAsync([project.ContainerFilter], ct);

    public async Task<string> ContainerIdAsync(string service, CancellationToken ct)
    {
        var containers = await docker.ListContainersAsync([project.ContainerFilter, $"{ClusterProject.ServiceLabel}={service}"], ct);
        return containers.FirstOrDefault()?.Id
            ?? throw new PipelineException(
                $"the cluster has no service '{service}' (it has "
                + $"{string.Join(", ", (await ContainersAsync(ct)).Select(Service).Distinct())})"
            );
    }

    /// <summary>The 127.0.0.1 URL of a container port the compose file publishes.</summary>
    public async Task<Uri> UrlAsync(ServiceEndpoint endpoint, CancellationToken ct)
    {
        var (_, port) = await HostEndpointAsync(endpoint, ct);
        return new Uri($"http://127.0.0.1:{port}");
    }

    public async Task<(string Host, int Port)> HostEndpointAsync(ServiceEndpoint endpoint, CancellationToken ct)
    {
        var id = await ContainerIdAsync(endpoint.Service, ct);
        var inspect = await docker.InspectContainerAsync(id, ct)
            ?? throw new PipelineException($"{endpoint.Service}: its container is gone");
        var port = inspect.HostPort($"{endpoint.Port}/tcp")
            ?? throw new PipelineException(
                $"{endpoint.Service}: port {endpoint.Port} is not published (add it to the service's ports: in compose.template.yml)"
            );
        return ("127.0.0.1", port);
    }

    public static string Service(ContainerSummary c) => c.Labels?.GetValueOrDefault(ClusterProject.ServiceLabel) ?? c.Name;
}
