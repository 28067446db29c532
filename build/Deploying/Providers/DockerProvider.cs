using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Pipeline.Tools.Docker;
using System.Globalization;

namespace Pipeline.Deploying.Providers;

/// <summary>
/// Instances as containers on a Docker host through the Engine API. Each slot is one container named
/// <c>pipeline-&lt;env&gt;-&lt;group&gt;-&lt;slot&gt;</c>, labelled <c>pipeline.deploy=&lt;env&gt;</c>, with the image
/// reference it was created from and a hash of its spec in labels (the engine reports image ids, not digests).
/// </summary>
public sealed class DockerProvider(DockerClient docker, GroupDefinition group) : IInstanceProvider, ISelfReportedHealth
{
    public const string EnvironmentLabel = "pipeline.deploy";
    private const string GroupLabel = "pipeline.group",
        SlotLabel = "pipeline.slot",
        ImageLabel = "pipeline.image",
        SpecLabel = "pipeline.spec",
        ColourLabel = "pipeline.colour";

    public string Describe => $"docker {docker.Endpoint}";

    public async Task<IReadOnlyList<ObservedInstance>> ListAsync(CancellationToken ct)
    {
        List<string> filters = [$"{EnvironmentLabel}={group.Environment}", $"{GroupLabel}={group.Name}"];
        if (group.Colour is { } colour) filters.Add($"{ColourLabel}={colour.Lower()}");
        var containers = await docker.ListContainersAsync(filters, ct);
        return containers
            .Where(c => c.Labels?.ContainsKey(SlotLabel) == true)
            .Select(c =>
            {
                var slot = int.Parse(c.Labels![SlotLabel], CultureInfo.InvariantCulture);
                return new ObservedInstance(group.InstanceName(slot), slot, c.Labels.GetValueOrDefault(ImageLabel, c.Image),
                    c.Labels.GetValueOrDefault(SpecLabel, ""), Address(slot), c.State == "running")
                { Id = c.Id };
            })
            .OrderBy(i => i.Slot).ToList();
    }

    public async Task<ObservedInstance> StartAsync(DesiredInstance instance, CancellationToken ct)
    {
        await docker.EnsureImageAsync(instance.Image, ct);
        var name = group.ContainerName(instance.Slot);
        if (await docker.InspectContainerAsync(name, ct) is { } leftover)
        {
            await docker.StopIfRunningAsync(leftover.Id, group.Rolling.StopTimeout, ct);
            await docker.RemoveContainerAsync(leftover.Id, ct);
        }
        var labels = Labels(group, instance);
        var spec = new ContainerSpec(instance.Image)
        {
            Name = name,
            Env = new Dictionary<string, string>(instance.Env) { ["HEARTBEAT_INSTANCE"] = instance.Name },
            Labels = labels,
            Ports = [new PortMapping(group.Ports.Container, group.Ports.HostPort(instance.Slot), group.Ports.Bind)],
            RestartPolicy = "unless-stopped",
            StopTimeout = group.Rolling.StopTimeout,
        };
        var id = await docker.RunContainerAsync(spec, ct);
        return new ObservedInstance(instance.Name, instance.Slot, instance.Image, instance.SpecHash, Address(instance.Slot), true)
        {
            Id = id,
        };
    }

    public async Task StopAsync(ObservedInstance instance, TimeSpan grace, CancellationToken ct)
    {
        await docker.StopIfRunningAsync(instance.Id, grace, ct);
        await docker.RemoveContainerAsync(instance.Id, ct);
    }

    /// <summary>Docker's verdict of the image's <c>HEALTHCHECK</c> (null when the image has none).</summary>
    public async Task<bool?> ReportsHealthyAsync(ObservedInstance instance, CancellationToken ct) =>
        (await docker.InspectContainerAsync(instance.Id, ct))?.State.Health?.Status is { } status ? status == "healthy" : null;

    /// <summary>The labels by which a container is known as <paramref name="instance"/> of the group (the deploy benchmark's
    /// Ansible peer gives its containers the same ones).</summary>
    public static Dictionary<string, string> Labels(GroupDefinition group, DesiredInstance instance)
    {
        var labels = new Dictionary<string, string>
        {
            [EnvironmentLabel] = group.Environment,
            [GroupLabel] = group.Name,
            [SlotLabel] = instance.Slot.ToString(CultureInfo.InvariantCulture),
            [ImageLabel] = instance.Image,
            [SpecLabel] = instance.SpecHash,
        };
        if (group.Colour is { } colour) labels[ColourLabel] = colour.Lower();
        return labels;
    }

    private string Address(int slot) => $"{(group.Ports.Bind == "0.0.0.0" ? "127.0.0.1" : group.Ports.Bind)}:{group.Ports.HostPort(slot)}";
}
