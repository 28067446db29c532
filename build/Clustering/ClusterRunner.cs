using Pipeline.Baking;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Docker;
using System.Diagnostics;
using System.Security.Cryptography;

namespace Pipeline.Clustering;

/// <summary>
/// One ClusterTest run: removes leftovers of killed runs, renders the compose file for a fresh project, <c>up</c>,
/// waits for health, runs the checks (and an xunit project when asked), writes the report — and in a
/// <c>finally</c> with its own bounded token (so also after a failure, a timeout, Ctrl-C or SIGTERM) keeps the logs
/// of a failed run and runs <c>down -v --remove-orphans</c>, unless <see cref="ClusterOptions.Keep"/>.
/// </summary>
public sealed class ClusterRunner(DockerClient docker, ClusterOptions options)
{
    /// <summary>Called once the cluster is healthy (tests use it to act mid-run).</summary>
    public Func<ClusterServices, CancellationToken, Task>? OnHealthy { get; init; }

    public async Task<ClusterReport> RunAsync(CancellationToken ct)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var flavor = await ComposeCli.DetectAsync(ct);
        await Leftovers.RemoveAsync(docker, ct);

        var project = Project = ClusterProject.New(options.ProjectPrefix, startedAt, Environment.ProcessId);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        Secrets.Register(password);
        var values = Values(project, password);
        var checks = ClusterChecksLoader.Load(options.ChecksFile, Relative(options.ChecksFile), n =>
            values.GetValueOrDefault(n) ?? Environment.GetEnvironmentVariable(n)
        );
        // The password stays ${CLUSTER_PASSWORD} in the rendered file (kept under .nuke/temp/cluster/): compose reads it
        // from its own environment, so no file of the run holds it.
        var composeFile = Render(project, new Dictionary<string, string>(values) { [PasswordVariable] = $"${{{PasswordVariable}}}" });
        var compose = new ComposeCommands(flavor, project.Name, composeFile)
        {
            Environment = new Dictionary<string, string> { [PasswordVariable] = password },
        };
        var directory = composeFile.Parent;
        ResetArtifacts();

        var services = new ClusterServices(docker, project);
        var history = new HealthHistory();
        var waiter = new HealthWaiter(services, history);
        var transcript = new List<string>();
        var results = new List<CheckResult>();
        var endpoints = new Dictionary<string, string>(StringComparer.Ordinal);
        string? failure = null;
        var phase = "up";
        var phaseWatch = Stopwatch.StartNew();
        Log.Information($"Starting the virtual cluster {project.Name} (compose {flavor}) from {Relative(composeFile)}…");
        try
        {
            var exit = await ComposeCli.RunAsync(compose, compose.Up(), directory, transcript, ct);
            if (exit != 0)
                throw new PipelineException(
                    $"`{compose.Display(compose.Up())}` exited with {exit} (its output: artifacts/cluster/logs/compose.log)"
                );
            results.Add(
                new CheckResult(
                    "compose up",
                    "phase",
                    true,
                    phaseWatch.Elapsed,
                    $"{(await services.ContainersAsync(ct)).Count} containers started"
                )
            );

            (phase, phaseWatch) = ("cluster healthy", Stopwatch.StartNew());
            Log.Information(
                $"Waiting for every container of {project.Name} to be healthy and {checks.ReadinessPath} to answer through "
                + $"{checks.LoadBalancer.Service}…"
            );
            await waiter.WaitAsync(checks.LoadBalancer, checks.ReadinessPath, options.HealthTimeout ?? checks.HealthTimeout, ct);
            results.Add(
                new CheckResult(
                    phase,
                    "phase",
                    true,
                    phaseWatch.Elapsed,
                    $"every container healthy, {checks.ReadinessPath} answers through {checks.LoadBalancer.Service}"
                )
            );
            foreach (var (name, url) in await EndpointsAsync(services, checks.LoadBalancer, ct)) endpoints[name] = url;
            if (OnHealthy is not null) await OnHealthy(services, ct);

            phase = "checks";
            Log.Information($"Running {checks.Checks.Count} checks…");
            results.AddRange(await new CheckRunner(services).RunAllAsync(checks.Checks, ct));
            if (options.ClusterTests is { } tests)
                results.Add(
                    await ClusterTestsRunner.RunAsync(
                        tests,
                        new Dictionary<string, string>(endpoints) { [PasswordVariable] = password },
                        Layout.ClusterTestResults,
                        ct
                    )
                );
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            failure = $"interrupted during {phase} (Ctrl-C, SIGTERM or the build's timeout)";
            results.Add(new CheckResult(phase, "phase", false, phaseWatch.Elapsed, failure));
        }
        catch (Exception e) when (e is PipelineException or DockerApiException or HttpRequestException)
        {
            failure = e.Message;
            results.Add(new CheckResult(phase, "phase", false, phaseWatch.Elapsed, e.Message));
        }
        finally
        {
            using var cleanup = new CancellationTokenSource(options.TeardownTimeout);
            var failed = failure is not null || results.Any(r => !r.Passed);
            string? logs = null;
            if (failed)
            {
                try
                {
                    await ClusterLogs.WriteAsync(services, history, transcript, Layout.Logs, cleanup.Token);
                    logs = Relative(Layout.Logs);
                    Log.Warning($"The logs of every service and the health-check history are in {logs}/.");
                }
                catch (Exception e) when (e is not OutOfMemoryException) { Log.Warning($"Could not keep the cluster's logs: {e.Message}"); }
            }
            var report = new ClusterReport(project.Name, flavor, startedAt, watch.Elapsed, results, failure, endpoints, logs);
            await WriteReportAsync(report, cleanup.Token);
            if (options.Keep) PrintKeep(compose, endpoints);
            else await TeardownAsync(compose, directory, project, transcript, cleanup.Token);
            Report = report;
        }
        ct.ThrowIfCancellationRequested();
        return Report!;
    }

    /// <summary>The project of the last run (its run id is the label of everything it created).</summary>
    public ClusterProject? Project { get; private set; }

    /// <summary>The report of the last run (also set when the run was interrupted).</summary>
    public ClusterReport? Report { get; private set; }

    private const string PasswordVariable = "CLUSTER_PASSWORD";

    /// <summary>The <c>${CLUSTER_*}</c> values of a run.</summary>
    public static IReadOnlyDictionary<string, string> Values(ClusterProject project, string password) =>
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CLUSTER_PROJECT"] = project.Name,
            ["CLUSTER_RUN"] = project.RunId,
            ["CLUSTER_OWNER"] = Leftovers.Owner(ProcessIdentity.Of(Environment.ProcessId)!),
            [PasswordVariable] = password,
        };

    /// <summary>Renders the compose file (and copies its companions) into the run's folder; answers the compose.yml path.</summary>
    public AbsolutePath Render(ClusterProject project, IReadOnlyDictionary<string, string> values)
    {
        var template = File.ReadAllText(Layout.Template);
        var images = ImagesManifest.Read(Layout.ImagesManifest);
        var ports = PortAllocator.Allocate(ComposeFileRenderer.PortNames(template), options.Ports);
        var directory = Layout.Run(project.RunId).CreateDirectory();
        foreach (var file in Directory.GetFiles(Layout.VirtualEnvironment))
            if (Path.GetFileName(file) is not (ClusterLayout.TemplateName or ClusterLayout.ChecksName))
                File.Copy(file, directory / Path.GetFileName(file), overwrite: true);
        var composeFile = directory / "compose.yml";
        File.WriteAllText(composeFile, ComposeFileRenderer.Render(template, images, ports, values, Relative(Layout.Template)));
        return composeFile;
    }

    private async Task TeardownAsync(
        ComposeCommands compose,
        AbsolutePath directory,
        ClusterProject project,
        List<string> transcript,
        CancellationToken ct
    )
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var exit = await ComposeCli.RunAsync(compose, compose.Down(), directory, transcript, ct, quiet: true);
            if (exit != 0) Log.Warning($"`{compose.Display(compose.Down())}` exited with {exit}; removing the rest by label.");
            var left = await Leftovers.OfProjectAsync(docker, project.RunId, ct);
            if (left.Count > 0)
            {
                Log.Warning($"Still there after down: {string.Join(", ", left)}; removing them through the Engine API.");
                await docker.RemoveLabelledAsync($"{ClusterProject.RunLabel}={project.RunId}", images: false, ct);
            }
            Log.Information($"Tore down {project.Name} in {watch.Elapsed.TotalSeconds:0.0} s.");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.Error(
                $"Tearing down {project.Name} failed: {e.Message} (the next ClusterTest removes it; now: {compose.Display(compose.Down())})"
            );
        }
    }

    private static void PrintKeep(ComposeCommands compose, IReadOnlyDictionary<string, string> endpoints)
    {
        Log.Information($"--keep: the cluster {compose.Project} keeps running.");
        foreach (var (name, url) in endpoints) Log.Information($"  {name}={url}");
        Log.Information($"  logs:      {compose.Display([.. compose.Logs(), "--follow"])}");
        Log.Information($"  status:    {compose.Display(compose.Ps())}");
        Log.Information($"  tear down: {compose.Display(compose.Down())}   (or the next ./build.sh ClusterTest)");
    }

    private static async Task<IReadOnlyDictionary<string, string>> EndpointsAsync(
        ClusterServices services,
        ServiceEndpoint lb,
        CancellationToken ct
    )
    {
        var endpoints = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["CLUSTER_LB_URL"] = (await services.UrlAsync(lb, ct)).ToString().TrimEnd('/'),
        };
        foreach (var container in await services.ContainersAsync(ct))
        {
            var inspect = await services.Docker.InspectContainerAsync(container.Id, ct);
            var port = inspect
                ?.NetworkSettings?.Ports?.Values.SelectMany(b => b ?? [])
                .Select(b => b.HostPort)
                .FirstOrDefault(p => !string.IsNullOrEmpty(p));
            var name = ClusterServices.Service(container).ToUpperInvariant().Replace('-', '_');
            if (port is not null) endpoints[$"CLUSTER_{name}_URL"] = $"http://127.0.0.1:{port}";
        }
        endpoints["CLUSTER_PROJECT"] = services.Project.Name;
        return endpoints;
    }

    private void ResetArtifacts()
    {
        if (Directory.Exists(Layout.Logs)) Directory.Delete(Layout.Logs, recursive: true);
        Layout.Outputs.CreateDirectory();
    }

    private async Task WriteReportAsync(ClusterReport report, CancellationToken ct)
    {
        Layout.Outputs.CreateDirectory();
        await MaskedFile.WriteAllTextAsync(Layout.Report, report.ToMarkdown(), ct);
        await MaskedFile.WriteAllTextAsync(Layout.JUnit, report.ToJUnit(), ct);
    }

    private ClusterLayout Layout => options.Layout;

    private string Relative(AbsolutePath path) => path.RelativeTo(Layout.Root);
}
