using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Pipeline.Tools.Ssh;
using System.Globalization;
using System.Text.Json;

namespace Pipeline.Deploying.Ssh;

/// <summary>
/// Instances as containers on hosts reached over ssh, each running Docker: slot n lives on host
/// <c>hosts[(n-1) % hosts]</c>, driven with the docker CLI there over the run's one SSH.NET connection per host (the same names and labels
/// as the docker provider).
/// The image arrives by registry pull (by digest), or as the saved tar of a registry-less Publish (<see cref="SshImageDelivery"/>);
/// the environment goes over stdin (<c>--env-file /dev/stdin</c>),
/// so secret values never appear on a command line.
/// </summary>
public sealed class SshDockerProvider(GroupDefinition group, IReadOnlyList<SshHost> hosts, SshImageDelivery? saved = null)
    : IInstanceProvider
{
    public string Describe => $"ssh {string.Join(", ", hosts)}";

    public SshHost HostOf(int slot) => hosts[group.HostIndex(slot)];

    public async Task<IReadOnlyList<ObservedInstance>> ListAsync(CancellationToken ct)
    {
        var all = new List<ObservedInstance>();
        foreach (var host in hosts)
        {
            var result = await host.RunAsync(SshDockerCommands.List(group), ct);
            foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var json = JsonDocument.Parse(line);
                var labels = SshDockerCommands.ParseLabels(json.RootElement.GetProperty("Labels").GetString() ?? "");
                if (!labels.TryGetValue("pipeline.slot", out var s)) continue;
                var slot = int.Parse(s, CultureInfo.InvariantCulture);
                if (HostOf(slot) != host) continue;
                all.Add(
                    new ObservedInstance(
                        group.InstanceName(slot),
                        slot,
                        labels.GetValueOrDefault("pipeline.image", ""),
                        labels.GetValueOrDefault("pipeline.spec", ""),
                        Address(slot),
                        json.RootElement.GetProperty("State").GetString() == "running"
                    )
                    {
                        Id = json.RootElement.GetProperty("ID").GetString()!,
                    }
                );
            }
        }
        return all.OrderBy(i => i.Slot).ToList();
    }

    public async Task<ObservedInstance> StartAsync(DesiredInstance instance, CancellationToken ct)
    {
        var host = HostOf(instance.Slot);
        if (saved?.Knows(instance.Image) == true) await saved.EnsureAsync(host, instance.Image, ct);
        else await host.RunAsync(SshDockerCommands.EnsureImage(instance.Image), ct);
        await host.RunAsync(SshDockerCommands.Remove(group.ContainerName(instance.Slot)), ct, check: false);
        var env = new Dictionary<string, string>(instance.Env) { ["HEARTBEAT_INSTANCE"] = instance.Name };
        var id = (await host.RunAsync(SshDockerCommands.Run(group, instance), ct, SshDockerCommands.EnvFile(env))).StandardOutput.Trim();
        return new ObservedInstance(instance.Name, instance.Slot, instance.Image, instance.SpecHash, Address(instance.Slot), true)
        {
            Id = id,
        };
    }

    public async Task StopAsync(ObservedInstance instance, TimeSpan grace, CancellationToken ct)
    {
        var host = HostOf(instance.Slot);
        await host.RunAsync(SshDockerCommands.Stop(instance.Id, grace), ct, check: false);
        await host.RunAsync(SshDockerCommands.Remove(instance.Id), ct, check: false);
    }

    private string Address(int slot) =>
        $"{(group.Ports.Bind is "0.0.0.0" or "::" ? HostOf(slot).Host : group.Ports.Bind)}:{group.Ports.HostPort(slot)}";
}

/// <summary>The docker CLI command lines the ssh provider runs on a host (pure, tested without a host).</summary>
public static class SshDockerCommands
{
    /// <summary>The group's containers (one colour's, for a colour of a blue/green group).</summary>
    public static IReadOnlyList<string> List(GroupDefinition group) =>
        [
            "docker",
            "ps",
            "-a",
            "--no-trunc",
            "--filter",
            $"label=pipeline.deploy={group.Environment}",
            "--filter",
            $"label=pipeline.group={group.Name}",
            .. group.Colour is { } colour ? (string[])["--filter", $"label=pipeline.colour={colour.Lower()}"] : [],
            "--format",
            "{{json .}}",
        ];

    /// <summary>Pulls the image unless the host has it (a constant script; the image is its $1).</summary>
    public static IReadOnlyList<string> EnsureImage(string image) =>
        ["sh", "-c", """docker image inspect --format . "$1" >/dev/null 2>&1 || docker pull -q "$1" """, "sh", image];

    public static IReadOnlyList<string> Run(GroupDefinition group, DesiredInstance instance) =>
        [
            "docker",
            "run",
            "-d",
            "--name",
            group.ContainerName(instance.Slot),
            "--label",
            $"pipeline.deploy={group.Environment}",
            "--label",
            $"pipeline.group={group.Name}",
            "--label",
            $"pipeline.slot={instance.Slot.ToString(CultureInfo.InvariantCulture)}",
            "--label",
            $"pipeline.image={instance.Image}",
            "--label",
            $"pipeline.spec={instance.SpecHash}",
            .. group.Colour is { } colour ? (string[])["--label", $"pipeline.colour={colour.Lower()}"] : [],
            "--restart",
            "unless-stopped",
            "--stop-timeout",
            ((int)group.Rolling.StopTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "-p",
            $"{group.Ports.Bind}:{group.Ports.HostPort(instance.Slot).ToString(CultureInfo.InvariantCulture)}:{group.Ports.Container.ToString(CultureInfo.InvariantCulture)}",
            "--env-file",
            "/dev/stdin",
            instance.Image,
        ];

    /// <summary>Exit 0 when the host has the image (by id or reference).</summary>
    public static IReadOnlyList<string> ImagePresent(string image) => ["docker", "image", "inspect", "--format", "{{.Id}}", image];

    /// <summary>Loads a <c>docker save</c> tar from stdin.</summary>
    public static IReadOnlyList<string> Load() => ["docker", "load", "-q"];

    public static IReadOnlyList<string> Stop(string id, TimeSpan grace) =>
        ["docker", "stop", "-t", ((int)grace.TotalSeconds).ToString(CultureInfo.InvariantCulture), id];
    public static IReadOnlyList<string> Remove(string id) => ["docker", "rm", "-f", id];

    /// <summary>Docker's env-file format: one <c>KEY=value</c> per line (values may not contain newlines).</summary>
    public static string EnvFile(IReadOnlyDictionary<string, string> env) =>
        string.Concat(env.Select(kv => kv.Value.Contains('\n')
            ? throw new Engine.UsageException($"environment variable {kv.Key}: values sent over ssh may not contain line breaks")
            : $"{kv.Key}={kv.Value}\n"));

    /// <summary><c>docker ps --format '{{json .}}'</c> gives labels as <c>k=v,k=v</c>.</summary>
    public static IReadOnlyDictionary<string, string> ParseLabels(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
}
