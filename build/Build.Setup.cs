using CliWrap;
using Pipeline.Clustering;
using Pipeline.Deploying.Providers;
using Pipeline.Engine;
using Pipeline.Engine.Graph;
using Pipeline.Engine.Services;
using Pipeline.Tools.Apt;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Process;

namespace Pipeline;

/// <summary>Machine set-up: the tools targets need, and the local services they talk to.</summary>
partial class Build
{
    [Parameter("Only show what would be done: what Prerequisites would install, what Backup, Restore and PruneBackups would change.")]
    readonly bool DryRun;

    Target Prerequisites => _ => _
        .Description("Install the Debian and npm packages the planned targets need (as root; otherwise print the exact command).")
        .Executes(ct => new PrerequisiteInstaller(IsRoot, DryRun).InstallAsync(ToolsNeeded(), ct));

    Target Up => _ => _
        .Description("Start the local services (on 127.0.0.1) the planned targets use; already running ones are kept.")
        .After(Prerequisites)
        .Executes(ct => LocalServices.StartAllAsync(ServicesNeeded(), ct));

    Target Down => _ => _
        .Description("Remove the local environment's containers and stop every local service this build started (by recorded pid), and "
            + "nothing else.")
        .Executes(async ct =>
        {
            await RemoveLocalContainersAsync(ct);
            await LocalServices.StopAllAsync(ct);
        });

    /// <summary>The containers the build created on this machine: the local deploy's instances and cluster-test leftovers.</summary>
    async Task RemoveLocalContainersAsync(CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is null && !await Dockerd.Probe.IsReadyAsync(ct)) return;
        using var docker = new DockerClient();
        foreach (var label in new[] { $"{DockerProvider.EnvironmentLabel}=local", ClusterProject.LabelFilter })
        {
            var count = (await docker.ListContainersAsync([label], ct)).Count;
            await docker.RemoveLabelledAsync(label, images: false, ct);
            if (count > 0) Log.Information($"Removed {count} container(s) labelled {label}.");
        }
    }

    /// <summary>
    /// What a no-op run's first process start and first Docker call cost (tens of milliseconds each: process and HTTP set-up,
    /// the API version, the client's serializer) is paid meanwhile, for a tool that a later target needs: git first (Packages
    /// asks it first), then the engine. Where the first target needs it itself there is nothing to overlap, and two threads
    /// would only race for the same set-up. An engine that does not answer yet is left to the targets.
    /// </summary>
    protected internal override async Task WarmUpAsync()
    {
        var running = ExecutionPlan.Where(t => t.Status != TargetStatus.Skipped).ToList();
        bool NeededLater(Tool tool) => running.Skip(1).Any(t => t.Tools.Contains(tool)) && !running[0].Tools.Contains(tool);
        try
        {
            if (NeededLater(Git))
                await Cli.Wrap("git").WithArguments(["--version"]).WithValidation(CommandResultValidation.None).RunBufferedAsync();
        }
        catch (Exception) { }
        if (NeededLater(DockerDaemon.Tool)) await DockerClient.WarmUpAsync(Baking.ImageLabels.InputHash, CancellationToken.None);
    }

    static readonly Tool Git = Tool.Apt("git");

    LocalServiceManager LocalServices => new(TemporaryDirectory / "services");

    /// <summary>Tools of the planned targets; all targets' tools when Prerequisites runs alone.</summary>
    IEnumerable<Tool> ToolsNeeded()
    {
        var planned = ExecutionPlan.Where(t => t.Name != nameof(Prerequisites)).ToList();
        return (planned.Count > 0 ? planned : AllTargets).SelectMany(t => t.Tools);
    }

    /// <summary>
    /// Every local service a concern declares as a <c>LocalService</c> property in its Build.&lt;Concern&gt;.cs
    /// (dockerd, the registry, Pebble, s3rver, HAProxy). Targets that use one also start it themselves
    /// (<c>await LocalServices.StartAsync(Registry, ct)</c>, idempotent); Up starts them all.
    /// </summary>
    IEnumerable<LocalService> ServicesNeeded() =>
        GetType()
            .GetProperties(
                System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic
            )
            .Where(p => p.PropertyType == typeof(LocalService))
            .InDeclarationOrder()
            .Select(p => (LocalService)p.GetValue(this)!);
}
