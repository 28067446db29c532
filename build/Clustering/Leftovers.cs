using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Docker;
using System.Globalization;

namespace Pipeline.Clustering;

/// <summary>
/// Removes the containers, networks and volumes of earlier cluster runs whose build is gone (killed with SIGKILL, a
/// crashed machine): everything labelled <c>pipeline.cluster=1</c> whose owner label names a dead process.
/// Runs of builds that are still alive (a parallel test, a <c>--keep</c>-less run in another shell) are left alone;
/// clusters kept with <c>--keep</c> carry no owner and are removed by the next run.
/// </summary>
public static class Leftovers
{
    public static string Owner(ProcessIdentity identity) =>
        $"{identity.Pid.ToString(CultureInfo.InvariantCulture)}:{identity.StartTicks.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Whether the owner label names a process that still runs.</summary>
    public static bool IsOwnerAlive(string? owner)
    {
        var parts = owner?.Split(':');
        return parts is [var pid, var ticks]
            && int.TryParse(pid, CultureInfo.InvariantCulture, out var p) && long.TryParse(ticks, CultureInfo.InvariantCulture, out var t)
            && new ProcessIdentity(p, t).IsAlive;
    }

    public static async Task<int> RemoveAsync(DockerClient docker, CancellationToken ct)
    {
        static bool Dead(IReadOnlyDictionary<string, string>? labels) =>
            !IsOwnerAlive(labels?.GetValueOrDefault(ClusterProject.OwnerLabel));
        var removed = 0;
        foreach (var c in (await docker.ListContainersAsync([ClusterProject.LabelFilter], ct)).Where(c => Dead(c.Labels)))
            if (await docker.RemoveContainerAsync(c.Id, ct)) removed++;
        foreach (var n in (await docker.ListNetworksAsync([ClusterProject.LabelFilter], ct)).Where(n => Dead(n.Labels)))
            if (await docker.RemoveNetworkAsync(n.Id, ct)) removed++;
        foreach (var v in (await docker.ListVolumesAsync([ClusterProject.LabelFilter], ct)).Where(v => Dead(v.Labels)))
            if (await docker.RemoveVolumeAsync(v.Name, ct)) removed++;
        if (removed > 0)
            Log.Warning($"Removed {removed} leftover container(s)/network(s)/volume(s) of earlier cluster runs that were killed.");
        return removed;
    }

    /// <summary>What of <paramref name="project"/> still exists (after teardown this must be empty).</summary>
    public static async Task<IReadOnlyList<string>> OfProjectAsync(DockerClient docker, string runId, CancellationToken ct)
    {
        var filter = $"{ClusterProject.RunLabel}={runId}";
        return [.. (await docker.ListContainersAsync([filter], ct)).Select(c => $"container {c.Name}"),
            .. (await docker.ListNetworksAsync([filter], ct)).Select(n => $"network {n.Name}"),
            .. (await docker.ListVolumesAsync([filter], ct)).Select(v => $"volume {v.Name}")];
    }
}
