using Pipeline.Engine;
using Pipeline.Tools.Docker;
using System.Globalization;
using System.Text;

namespace Pipeline.Clustering;

/// <summary>
/// Writes what a failed run needs for diagnosis into <c>artifacts/cluster/logs/</c>: every container's output with
/// the engine's timestamps (stdout and stderr interleaved, stderr marked), the engine's health-check log of each
/// container, the wait's health history and the compose transcript (so also when <c>up</c> itself failed).
/// All of it passes through <see cref="MaskedFile"/>: a container that prints its password, or a compose error that
/// echoes the environment, leaves <c>****</c> in these files.
/// </summary>
public static class ClusterLogs
{
    public static async Task WriteAsync(
        ClusterServices services,
        HealthHistory history,
        IReadOnlyList<string> transcript,
        AbsolutePath directory,
        CancellationToken ct
    )
    {
        await MaskedFile.WriteAllTextAsync(directory / "compose.log", string.Join('\n', transcript) + "\n", ct);
        var health = new StringBuilder("# What ClusterTest saw while waiting for health (changes only)\n").Append(history.Render());
        foreach (var container in await services.ContainersAsync(ct))
        {
            var service = ClusterServices.Service(container);
            var output = await services.Docker.ContainerLogsAsync(container.Id, tail: null, timestamps: true, ct);
            await MaskedFile.WriteAllTextAsync(directory / $"{service}.log", Interleave(output), ct);
            var inspect = await services.Docker.InspectContainerAsync(container.Id, ct);
            health.Append(
                CultureInfo.InvariantCulture,
                $"\n# {service} ({container.Name}): {inspect?.State.Status ?? "gone"}, exit code {inspect?.State.ExitCode}, health "
                + $"{inspect?.State.HealthStatus ?? "?"}\n"
            );
            foreach (var entry in inspect?.State.Health?.Log ?? [])
                health.Append(
                    CultureInfo.InvariantCulture,
                    $"{entry.Start} exit {entry.ExitCode} {entry.Output?.Trim().Replace('\n', ' ')}\n"
                );
        }
        await MaskedFile.WriteAllTextAsync(directory / "health.log", health.ToString(), ct);
    }

    /// <summary>Lines of both streams ordered by the engine's RFC 3339 timestamps (stable, so equal times keep their order).</summary>
    public static string Interleave(ContainerOutput output)
    {
        static IEnumerable<(string Line, bool Error)> Lines(string text, bool error) =>
            text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (l.TrimEnd('\r'), error));
        var lines = Lines(output.StandardOutput, false).Concat(Lines(output.StandardError, true))
            .OrderBy(l => l.Item1.Split(' ', 2)[0], StringComparer.Ordinal)
            .Select(l => l.Error ? InsertMarker(l.Item1) : l.Item1);
        return string.Join('\n', lines) + "\n";
    }

    private static string InsertMarker(string line)
    {
        var space = line.IndexOf(' ');
        return space < 0 ? $"[stderr] {line}" : $"{line[..space]} [stderr] {line[(space + 1)..]}";
    }
}
