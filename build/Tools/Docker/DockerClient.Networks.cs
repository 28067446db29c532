using Docker.DotNet.Models;

namespace Pipeline.Tools.Docker;

public sealed partial class DockerClient
{
    /// <summary>Creates a bridge network; returns its id.</summary>
    public async Task<string> CreateNetworkAsync(
        string name,
        IReadOnlyDictionary<string, string>? labels,
        CancellationToken ct,
        bool @internal = false
    )
    {
        var parameters = new NetworksCreateParameters
        {
            Name = name,
            Driver = "bridge",
            Internal = @internal,
            Labels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()),
        };
        return (await CallAsync($"create network {name}", e => e.Networks.CreateNetworkAsync(parameters, ct), ct)).ID;
    }

    /// <summary>Removes a network; false when there was none.</summary>
    public async Task<bool> RemoveNetworkAsync(string idOrName, CancellationToken ct)
    {
        try { await CallAsync($"remove network {idOrName}", e => e.Networks.DeleteNetworkAsync(idOrName, ct), ct); return true; }
        catch (DockerApiException e) when (e.IsNotFound) { return false; }
    }

    public async Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(IReadOnlyList<string>? labels, CancellationToken ct)
    {
        var parameters = new NetworksListParameters { Filters = EngineParameters.Filters(labels) };
        return (await CallAsync("list networks", e => e.Networks.ListNetworksAsync(parameters, ct), ct))
            .Select(EngineModels.Network)
            .ToList();
    }

    public async Task<IReadOnlyList<VolumeSummary>> ListVolumesAsync(IReadOnlyList<string>? labels, CancellationToken ct)
    {
        var parameters = new VolumesListParameters { Filters = EngineParameters.Filters(labels) };
        return (await CallAsync("list volumes", e => e.Volumes.ListAsync(parameters, ct), ct)).Volumes?.Select(EngineModels.Volume).ToList()
            ?? [];
    }

    public async Task<bool> RemoveVolumeAsync(string name, CancellationToken ct)
    {
        try { await CallAsync($"remove volume {name}", e => e.Volumes.RemoveAsync(name, true, ct), ct); return true; }
        catch (DockerApiException e) when (e.IsNotFound) { return false; }
    }

    /// <summary>
    /// Removes every container, network and volume carrying <paramref name="label"/> (<c>key</c> or <c>key=value</c>),
    /// and images too when asked: the clean-up of whoever created them.
    /// </summary>
    public async Task RemoveLabelledAsync(string label, bool images, CancellationToken ct)
    {
        foreach (var c in await ListContainersAsync([label], ct)) await RemoveContainerAsync(c.Id, ct);
        foreach (var n in await ListNetworksAsync([label], ct)) await RemoveNetworkAsync(n.Id, ct);
        foreach (var v in await ListVolumesAsync([label], ct)) await RemoveVolumeAsync(v.Name, ct);
        if (images) await RemoveImagesAsync((await ListImagesAsync([label], null, ct)).Select(i => i.Id).ToList(), ct);
    }

    /// <summary>
    /// Removes images (forced), children before parents: newest first, and those a child still holds are retried after
    /// it is gone. Images already gone are fine.
    /// </summary>
    public async Task RemoveImagesAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var remaining = ids.Distinct().ToList();
        for (var pass = 0; pass < 5 && remaining.Count > 0; pass++)
        {
            var blocked = new List<string>();
            var created = (await ListImagesAsync(null, null, ct)).ToDictionary(i => i.Id, i => i.Created);
            foreach (var id in remaining.OrderByDescending(i => created.GetValueOrDefault(i)))
            {
                try { await RemoveImageAsync(id, force: true, ct); }
                catch (DockerApiException e) when (e.IsConflict) { blocked.Add(id); }
            }
            remaining = blocked;
        }
        if (remaining.Count > 0)
            throw new Engine.PipelineException(
                $"Docker engine: could not remove {remaining.Count} image(s): "
                + $"{string.Join(", ", remaining.Select(i => i[..Math.Min(19, i.Length)]))} (still used by containers or other images): "
                    + $"remove those first (docker ps -a, docker images)."
            );
    }
}
