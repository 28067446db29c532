using System.Text.Json.Nodes;

namespace Pipeline.Tools.Docker;

/// <summary>Requests of the container and exec endpoints, built without sending anything.</summary>
public static class ContainerRequests
{
    public static DockerRequest Create(ContainerSpec spec)
    {
        var host = new JsonObject
        {
            ["PortBindings"] = new JsonObject(spec.Ports.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonArray(
                new JsonObject { ["HostIp"] = p.HostIp, ["HostPort"] = p.HostPort == 0 ? "" : p.HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture) })))),
            ["Binds"] = Strings(spec.Binds),
            ["AutoRemove"] = spec.AutoRemove,
            ["Privileged"] = spec.Privileged,
            ["Init"] = spec.Init,
            ["ExtraHosts"] = Strings(spec.ExtraHosts),
        };
        if (spec.RestartPolicy is { } restart) host["RestartPolicy"] = new JsonObject { ["Name"] = restart };
        if (spec.MemoryBytes is { } memory) host["Memory"] = memory;
        if (spec.Network is { } network) host["NetworkMode"] = network;

        var body = new JsonObject
        {
            ["Image"] = spec.Image,
            ["Env"] = Strings(spec.Env.Select(e => $"{e.Key}={e.Value}")),
            ["Labels"] = new JsonObject(spec.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
            ["ExposedPorts"] = new JsonObject(spec.Ports.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonObject()))),
            ["Tty"] = false,
            ["AttachStdout"] = false,
            ["AttachStderr"] = false,
            ["HostConfig"] = host,
        };
        if (spec.Cmd is { } cmd) body["Cmd"] = Strings(cmd);
        if (spec.Entrypoint is { } entrypoint) body["Entrypoint"] = Strings(entrypoint);
        if (spec.Hostname is { } hostname) body["Hostname"] = hostname;
        if (spec.User is { } user) body["User"] = user;
        if (spec.WorkingDir is { } dir) body["WorkingDir"] = dir;
        if (spec.StopTimeout is { } stop) body["StopTimeout"] = (int)stop.TotalSeconds;
        if (spec.Healthcheck is { } health)
            body["Healthcheck"] = new JsonObject
            {
                ["Test"] = Strings(health.Test),
                ["Interval"] = Nanoseconds(health.Interval),
                ["Timeout"] = Nanoseconds(health.Timeout),
                ["Retries"] = health.Retries,
                ["StartPeriod"] = Nanoseconds(health.StartPeriod),
            };
        if (spec.Network is { } net && spec.NetworkAliases.Count > 0)
            body["NetworkingConfig"] = new JsonObject
            {
                ["EndpointsConfig"] = new JsonObject { [net] = new JsonObject { ["Aliases"] = Strings(spec.NetworkAliases) } },
            };

        var request = DockerRequest.Post("/containers/create", $"create container {spec.Name ?? spec.Image}").With("name", spec.Name);
        return request with { Json = body.ToJsonString() };
    }

    public static DockerRequest Start(string id) => DockerRequest.Post($"/containers/{id}/start", $"start container {id}");

    /// <summary>SIGTERM, then SIGKILL after <paramref name="timeout"/>.</summary>
    public static DockerRequest Stop(string id, TimeSpan timeout) =>
        DockerRequest.Post($"/containers/{id}/stop", $"stop container {id}").With("t", ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static DockerRequest Kill(string id, string signal = "SIGKILL") => DockerRequest.Post($"/containers/{id}/kill", $"kill container {id}").With("signal", signal);

    public static DockerRequest Remove(string id, bool force = true, bool volumes = true) =>
        DockerRequest.Delete($"/containers/{id}", $"remove container {id}").With("force", force).With("v", volumes);

    public static DockerRequest Inspect(string id) => DockerRequest.Get($"/containers/{id}/json", $"inspect container {id}");

    public static DockerRequest List(IReadOnlyList<string>? labels = null, bool all = true)
    {
        var filters = new Dictionary<string, IReadOnlyList<string>>();
        if (labels is { Count: > 0 }) filters["label"] = labels;
        return DockerRequest.Get("/containers/json", "list containers").With("all", all).WithFilters(filters);
    }

    /// <summary>Blocks until the container stops; answers its exit code.</summary>
    public static DockerRequest Wait(string id) => DockerRequest.Post($"/containers/{id}/wait", $"wait for container {id}") with { Streaming = true };

    public static DockerRequest Logs(string id, bool follow = false, int? tail = null) =>
        DockerRequest.Get($"/containers/{id}/logs", $"logs of container {id}")
            .With("stdout", true).With("stderr", true).With("follow", follow)
            .With("tail", tail?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all") with { Streaming = true };

    public static DockerRequest ExecCreate(string id, IReadOnlyList<string> command, string? user = null, IReadOnlyDictionary<string, string>? env = null)
    {
        var body = new JsonObject
        {
            ["Cmd"] = Strings(command),
            ["AttachStdout"] = true,
            ["AttachStderr"] = true,
            ["Tty"] = false,
            ["Env"] = Strings((env ?? new Dictionary<string, string>()).Select(e => $"{e.Key}={e.Value}")),
        };
        if (user is not null) body["User"] = user;
        return DockerRequest.Post($"/containers/{id}/exec", $"exec in container {id}") with { Json = body.ToJsonString() };
    }

    public static DockerRequest ExecStart(string execId) =>
        DockerRequest.Post($"/exec/{execId}/start", $"start exec {execId}") with { Json = "{\"Detach\":false,\"Tty\":false}", Streaming = true };

    public static DockerRequest ExecInspect(string execId) => DockerRequest.Get($"/exec/{execId}/json", $"inspect exec {execId}");

    /// <summary>Commit a container's file system as an image (for debugging a failed bake).</summary>
    public static DockerRequest Commit(string id, string repository, string tag) =>
        DockerRequest.Post("/commit", $"commit container {id}").With("container", id).With("repo", repository).With("tag", tag) with { Json = "{}" };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static long Nanoseconds(TimeSpan t) => t.Ticks * 100;
}
