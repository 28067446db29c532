using System.Globalization;
using Dm = Docker.DotNet.Models;

namespace Pipeline.Tools.Docker;

/// <summary>Copies Docker.DotNet's answers into Pipeline's records (<see cref="ImageInspect"/>, <see cref="ContainerInspect"/>,
/// …).</summary>
internal static class EngineModels
{
    public static VersionInfo Version(Dm.VersionResponse v) =>
        new(v.Version, v.APIVersion, v.MinAPIVersion ?? "", v.Os, v.Arch, v.KernelVersion ?? "");

    public static ImageSummary Image(Dm.ImagesListResponse i) =>
        new(
            i.ID,
            List(i.RepoTags),
            Map(i.Labels),
            new DateTimeOffset(DateTime.SpecifyKind(i.Created, DateTimeKind.Utc)).ToUnixTimeSeconds(),
            i.Size
        );

    public static ImageInspect Image(Dm.ImageInspectResponse i) =>
        new(i.ID, List(i.RepoTags), List(i.RepoDigests), Time(i.Created), i.Size, i.Config is { } c
            ? new ImageConfig(Map(c.Labels), List(c.Env), List(c.Cmd), List(c.Entrypoint),
                c.ExposedPorts?.ToDictionary(p => p.Key, _ => new object()), c.User, c.WorkingDir, Health(c.Healthcheck))
            : null);

    public static ContainerSummary Container(Dm.ContainerListResponse c) =>
        new(c.ID, List(c.Names), c.Image, Map(c.Labels), c.State, c.Status);

    public static ContainerInspect Container(Dm.ContainerInspectResponse c) =>
        new(
            c.ID,
            c.Name,
            c.Image,
            State(c.State),
            c.Config is { } config
                ? new ContainerConfig(config.Image, config.Hostname, List(config.Env), Map(config.Labels))
                {
                    Healthcheck = Health(config.Healthcheck),
                }
                : null,
            c.NetworkSettings is { } ns
                ? new NetworkSettings(
                    ns.Ports?.ToDictionary(
                        p => p.Key,
                        p => p.Value?.Select(b => new PortBinding(b.HostIP, b.HostPort)).ToList() as IReadOnlyList<PortBinding>
                    ),
                    ns.Networks?.ToDictionary(
                        n => n.Key,
                        n => new EndpointSettings(n.Value.IPAddress, n.Value.NetworkID, List(n.Value.Aliases))
                    )
                )
                : null
        );

    public static ExecInspect Exec(Dm.ContainerExecInspectResponse e) => new(e.ID, e.Running, (int?)e.ExitCode, (int)e.Pid);

    public static NetworkSummary Network(Dm.NetworkResponse n) => new(n.ID, n.Name, n.Driver, Map(n.Labels));

    public static VolumeSummary Volume(Dm.VolumeResponse v) => new(v.Name, v.Driver, v.Mountpoint, Map(v.Labels));

    private static ContainerState State(Dm.State? s) =>
        s is null
            ? new ContainerState("unknown", false, false, false, false, false, 0, 0, null, null, null, null)
            : new ContainerState(
                s.Status,
                s.Running,
                s.Paused,
                s.Restarting,
                s.OOMKilled,
                s.Dead,
                (int)s.Pid,
                (int)s.ExitCode,
                s.Error.Length > 0 ? s.Error : null,
                s.StartedAt,
                s.FinishedAt,
                s.Health is { } h
                    ? new HealthState(
                        h.Status,
                        (int)h.FailingStreak,
                        h.Log?.Select(l => new HealthLogEntry(Time(l.Start), Time(l.End), (int)l.ExitCode, l.Output)).ToList()
                    )
                    : null
            );

    private static HealthConfig? Health(Dm.HealthcheckConfig? h) =>
        h is null
            ? null
            : new HealthConfig(
                List(h.Test),
                Nanoseconds(h.Interval),
                Nanoseconds(h.Timeout),
                (int)(h.Retries ?? 0),
                Nanoseconds(h.StartPeriod)
            );

    private static long Nanoseconds(TimeSpan? t) => (t ?? TimeSpan.Zero).Ticks * 100;

    private static string? Time(DateTime? t) => t?.ToString("O", CultureInfo.InvariantCulture);

    private static List<string>? List(IList<string>? values) => values?.ToList();

    private static Dictionary<string, string>? Map(IDictionary<string, string>? values) => values is null ? null : new(values);
}
