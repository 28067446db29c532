namespace Pipeline.Tools.Docker;

public sealed partial class DockerClient
{
    /// <summary>Creates a bridge network; returns its id.</summary>
    public async Task<string> CreateNetworkAsync(string name, IReadOnlyDictionary<string, string>? labels, CancellationToken ct, bool @internal = false) =>
        (await SendForJsonAsync<IdResponse>(NetworkRequests.Create(name, labels, @internal), ct)).Id;

    /// <summary>Removes a network; false when there was none.</summary>
    public async Task<bool> RemoveNetworkAsync(string idOrName, CancellationToken ct)
    {
        try { await SendForTextAsync(NetworkRequests.Remove(idOrName), ct); return true; }
        catch (DockerApiException e) when (e.IsNotFound) { return false; }
    }

    public async Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(IReadOnlyList<string>? labels, CancellationToken ct) =>
        await SendForJsonAsync<List<NetworkSummary>>(NetworkRequests.List(labels), ct);

    public async Task<IReadOnlyList<VolumeSummary>> ListVolumesAsync(IReadOnlyList<string>? labels, CancellationToken ct) =>
        (await SendForJsonAsync<VolumeList>(NetworkRequests.ListVolumes(labels), ct)).Volumes ?? [];

    public async Task<bool> RemoveVolumeAsync(string name, CancellationToken ct)
    {
        try { await SendForTextAsync(NetworkRequests.RemoveVolume(name), ct); return true; }
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
        if (images)
            foreach (var i in await ListImagesAsync([label], null, ct)) await RemoveImageAsync(i.Id, force: true, ct);
    }
}
