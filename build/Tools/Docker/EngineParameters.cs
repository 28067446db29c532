using Docker.DotNet.Models;
using System.Globalization;
using Dm = Docker.DotNet.Models;

namespace Pipeline.Tools.Docker;

/// <summary>
/// Pipeline's specs as Docker.DotNet's parameters, built without sending anything (so what is sent is tested
/// without an engine).
/// </summary>
public static class EngineParameters
{
    public static CreateContainerParameters Create(ContainerSpec spec)
    {
        var parameters = Container(spec);
        if (spec.RestartPolicy is { } restart) parameters.HostConfig!.RestartPolicy = new RestartPolicy { Name = RestartPolicyOf(restart) };
        return parameters;
    }

    private static CreateContainerParameters Container(ContainerSpec spec) => new()
    {
        Name = spec.Name,
        Image = spec.Image,
        Cmd = spec.Cmd?.ToList(),
        Entrypoint = spec.Entrypoint?.ToList(),
        Env = spec.Env.Select(e => $"{e.Key}={e.Value}").ToList(),
        Labels = new Dictionary<string, string>(spec.Labels),
        ExposedPorts = spec.Ports.ToDictionary(p => p.Key, _ => new EmptyStruct()),
        Hostname = spec.Hostname ?? "",
        User = spec.User ?? "",
        WorkingDir = spec.WorkingDir ?? "",
        StopTimeout = spec.StopTimeout is { } stop ? TimeSpan.FromSeconds((int)stop.TotalSeconds) : null,
        Healthcheck = spec.Healthcheck is { } health
            ? new HealthcheckConfig
            {
                Test = health.Test.ToList(),
                Interval = health.Interval,
                Timeout = health.Timeout,
                Retries = health.Retries,
                StartPeriod = health.StartPeriod,
            }
            : null,
        HostConfig = new HostConfig
        {
            PortBindings = spec.Ports.ToDictionary(p => p.Key, p => (IList<Dm.PortBinding>)[new Dm.PortBinding
            {
                HostIP = p.HostIp,
                HostPort = p.HostPort == 0 ? "" : p.HostPort.ToString(CultureInfo.InvariantCulture),
            }]),
            Binds = spec.Binds.ToList(),
            AutoRemove = spec.AutoRemove,
            Privileged = spec.Privileged,
            Init = spec.Init,
            ExtraHosts = spec.ExtraHosts.ToList(),
            Memory = spec.MemoryBytes ?? 0,
            NetworkMode = spec.Network ?? "",
        },
        NetworkingConfig = spec.Network is { } network && spec.NetworkAliases.Count > 0
            ? new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, Dm.EndpointSettings>
                {
                    [network] = new() { Aliases = spec.NetworkAliases.ToList() },
                },
            }
            : null,
    };

    public static ImageBuildParameters Build(BuildOptions options) => new()
    {
        Dockerfile = options.Dockerfile,
        Tags = options.Tags.ToList(),
        Remove = true,
        ForceRemove = !options.KeepFailedContainer,
        NoCache = options.NoCache,
        NetworkMode = options.NetworkMode,
        Labels = options.Labels.Count > 0 ? new Dictionary<string, string>(options.Labels) : null,
        BuildArgs = options.BuildArgs.Count > 0 ? new Dictionary<string, string>(options.BuildArgs) : null,
    };

    /// <summary><c>filters={"label":{"k=v":true},"reference":{…}}</c>; null when there is no filter.</summary>
    public static IDictionary<string, IDictionary<string, bool>>? Filters(
        IReadOnlyList<string>? labels,
        IReadOnlyList<string>? references = null
    )
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>();
        if (labels is { Count: > 0 }) filters["label"] = labels.ToDictionary(l => l, _ => true);
        if (references is { Count: > 0 }) filters["reference"] = references.ToDictionary(r => r, _ => true);
        return filters.Count > 0 ? filters : null;
    }

    /// <summary><c>no</c>, <c>always</c>, <c>unless-stopped</c>, <c>on-failure</c>, as a Dockerfile or compose file writes them.</summary>
    public static RestartPolicyKind RestartPolicyOf(string name) => name switch
    {
        "no" or "" => RestartPolicyKind.No,
        "always" => RestartPolicyKind.Always,
        "unless-stopped" => RestartPolicyKind.UnlessStopped,
        "on-failure" => RestartPolicyKind.OnFailure,
        _ => throw new ArgumentException($"'{name}' is not a restart policy (no, always, unless-stopped, on-failure)", nameof(name)),
    };
}
