using CliWrap;
using Pipeline.Deploying.Definitions;
using Pipeline.Engine;
using Pipeline.Tools.Process;
using System.Globalization;
using System.Text;

namespace Pipeline.Benchmarks;

/// <summary>The deploy scenario's second half: the same rolling change done by Pipeline and by Ansible (serial: 2, drain
/// through HAProxy), in turn, under the same paced load, at 200 and at 400 requests per second.</summary>
public sealed partial class DeployScenario
{
    /// <summary>Pipeline's wall time at most this share of Ansible's, with 0 failed requests.</summary>
    public const double AnsibleGoal = 0.7;

    private sealed record Beside(PacedLoad.Result Pipeline, PacedLoad.Result Ansible)
    {
        public double Ratio => Pipeline.Wall / Ansible.Wall;
        public bool Met => Pipeline.Failed == 0 && Ratio <= AnsibleGoal;
    }

    /// <summary>At each rate: Pipeline rolls v1 → v2 as the user's whole command, then Ansible rolls v2 → v1 (the group starts on
    /// v1).</summary>
    private static async Task<IReadOnlyList<Beside>> BesideAnsibleAsync(
        BenchmarkContext context,
        GroupDefinition group,
        (string V1, string V2) images,
        string haproxySocket,
        AbsolutePath directory,
        CancellationToken ct
    )
    {
        var playbook = context.Root / "build" / "Benchmarks" / "ansible-rolling.yml";
        var deploy = WholeDeploy(directory / "root", group, images.V2);
        var results = new List<Beside>();
        foreach (var rate in new[] { 200, 400 })
        {
            var load = new PacedLoad($"http://127.0.0.1:{Frontend}{group.Health.Path}", rate);
            Log.Information($"deploy: Pipeline rolling v1 → v2 at {rate} requests/s…");
            var pipeline = await load.AroundAsync(async () =>
            {
                var result = await deploy.RunBufferedAsync(ct);
                if (result.ExitCode != 0)
                    throw new PipelineException($"Deploy as a whole command failed ({result.ExitCode}): {result.StandardOutput.Trim()}");
            }, ct);
            Log.Information($"deploy: ansible-playbook (serial: 2) rolling v2 → v1 at {rate} requests/s…");
            var ansible = await load.AroundAsync(
                () => AnsibleRollingPeer.RunAsync(playbook, directory, group, images.V1, haproxySocket, "web", ct), ct);
            results.Add(new Beside(pipeline, ansible));
        }
        return results;
    }

    /// <summary>
    /// The user's command for the same rolling change: the compiled build (what <c>./build.sh</c> starts, native where it
    /// links) running <c>Deploy --environment bench-deploy --skip</c> in a scratch root whose environment file names the same
    /// group, HAProxy and health gate, and whose artifacts/images.json names <paramref name="image"/> (a local image id).
    /// </summary>
    internal static Command WholeDeploy(AbsolutePath root, GroupDefinition group, string image)
    {
        var rolling = group.Rolling;
        var health = group.Health;
        static string Ms(TimeSpan t) => $"{t.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
        (root / "environments").CreateDirectory();
        (root / "artifacts").CreateDirectory();
        (root / ".nuke" / "temp").CreateDirectory();
        File.WriteAllText(root / "environments" / $"{Environment}.yml", $"""
            lock:
              ttl: 30s
              directory: .nuke/temp/locks
            groups:
              {group.Name}:
                provider: docker
                image: {group.Image}
                count: {group.Count}
                ports:
                  container: {group.Ports.Container}
                  host_base: {group.Ports.HostBase}
                health:
                  path: {health.Path}
                  interval: {Ms(health.Interval)}
                  timeout: {Ms(health.Timeout)}
                  healthy_threshold: {health.HealthyThreshold}
                  unhealthy_threshold: {health.UnhealthyThreshold}
                  start_timeout: {Ms(health.StartTimeout)}
                rolling:
                  batch: {rolling.Batch}
                  min_healthy_percent: {rolling.MinHealthyPercent}
                  bake: {Ms(rolling.Bake)}
                  drain_timeout: {Ms(rolling.DrainTimeout)}
                  stop_timeout: {Ms(rolling.StopTimeout)}
                load_balancer:
                  haproxy:
                    address: 127.0.0.1:{Runtime}
                    backend: web
            """);
        File.WriteAllText(root / "artifacts" / "images.json",
            $$"""{"images":[{"name":"{{group.Image}}","id":"{{image}}","inputHash":"{{image[7..]}}","tags":[]}]}""");
        return SelfCommand.Wrap(["Deploy", "--environment", Environment, "--skip", "--no-logo"])
            .WithEnvironment("PIPELINE_ROOT", root).WithWorkingDirectory(root).WithValidation(CommandResultValidation.None);
    }

    private static string RenderBesideAnsible(IReadOnlyList<Beside> runs)
    {
        var sb = new StringBuilder().AppendLine();
        sb.AppendLine("## Beside Ansible, same run, same paced load").AppendLine();
        sb.AppendLine(
            "hey (one worker per 10 requests/s, paced, loopback only) sends `GET /heartbeat` through the same HAProxy at a fixed rate. "
            + "Pipeline's rolling deploy as the user's whole command (the compiled build that `./build.sh` starts, "
            + "`Deploy --environment bench-deploy --skip`, in a scratch root whose environment file names the same group, HAProxy and "
            + "health gate) moves the 6 instances v1 → v2; then `ansible-playbook "
            + "build/Benchmarks/ansible-rolling.yml` (serial: 2; community.general.haproxy drain until no session is left, "
            + "community.docker.docker_container replace, uri health wait, enable and wait for UP) moves them back, timed as the "
            + "whole command. Goal: 0 failed requests for Pipeline and a wall time at most "
            + $"{AnsibleGoal.ToString(CultureInfo.InvariantCulture)}× Ansible's.").AppendLine();
        sb.AppendLine(
            "| rate asked (reached) | Pipeline wall | Pipeline failed / requests | Ansible wall | Ansible failed / requests | ratio | goal |");
        sb.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var r in runs)
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Pipeline.RequestsPerSecond}/s ({r.Pipeline.Achieved:0}, {r.Ansible.Achieved:0}) | {r.Pipeline.Wall.TotalSeconds:0.0} s | **{r.Pipeline.Failed}** / {r.Pipeline.Requests} "
                + $"| {r.Ansible.Wall.TotalSeconds:0.0} s | {r.Ansible.Failed} / {r.Ansible.Requests} | {r.Ratio:0.00}× "
                + $"| {(r.Met ? "met" : "**NOT met**")} |");
        var failures = runs.SelectMany(r => new[] { ("Pipeline", r.Pipeline), ("Ansible", r.Ansible) })
            .Where(x => x.Item2.Failed > 0).Select(x => $"{x.Item1} at {x.Item2.RequestsPerSecond}/s: {x.Item2.Detail}").ToList();
        if (failures.Count > 0) sb.AppendLine().AppendLine("Failed requests: " + string.Join("; ", failures) + ".");
        sb.AppendLine().AppendLine(runs.All(r => r.Met)
            ? "**Goal met** beside Ansible at every rate."
            : "**Goal NOT met** beside Ansible at some rate (see the table).");
        return sb.ToString();
    }
}
