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
        var monitoring = options.MonitoringFile is { } m && File.Exists(m) ? ClusterMonitoring.Load(m, Relative(m)) : null;
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
        ClusterPrometheus? prometheus = null;
        Task? prometheusStarted = null;
        var phase = "up";
        var phaseWatch = Stopwatch.StartNew();
        Log.Information($"Starting the virtual cluster {project.Name} (compose {flavor}) from {Relative(composeFile)}…");
        try
        {
            if (monitoring is not null)
            {
                // Started beside compose up (the rendered file names the published ports): Prometheus hands its first
                // targets to the scrapers only after its discovery's 5 s update interval, which this overlaps.
                await ClusterPrometheus.RemoveLeftoversAsync(Layout.StateDirectory, ct);
                prometheus = new ClusterPrometheus(monitoring, directory / "monitoring", Ports[PrometheusPort]);
                prometheusStarted = prometheus.StartAsync(
                    e => ComposeFileRenderer.PublishedPort(composeFile, e, Relative(composeFile)), ct);
            }
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
            if (prometheus is not null)
            {
                (phase, phaseWatch) = ("Prometheus", Stopwatch.StartNew());
                await prometheusStarted!;
                endpoints["CLUSTER_PROMETHEUS_URL"] = prometheus.Client.BaseUrl.ToString().TrimEnd('/');
                results.Add(Logged(await prometheus.TargetsUpAsync(ct)));
            }
            if (OnHealthy is not null) await OnHealthy(services, ct);

            phase = "checks";
            Log.Information($"Running {checks.Checks.Count} checks…");
            results.AddRange(await new CheckRunner(services, prometheus).RunAllAsync(checks.Checks, ct));
            if (prometheus is not null) results.Add(Logged(await DashboardDataCheck.RunAsync(prometheus, ct)));
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
            if (prometheus is not null) await StopPrometheusAsync(prometheus, prometheusStarted, failed);
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

    private const string PasswordVariable = "CLUSTER_PASSWORD", PrometheusPort = "@prometheus";

    /// <summary>The 127.0.0.1 ports <see cref="Render"/> allocated: the template's, and the cluster Prometheus' one.</summary>
    public IReadOnlyDictionary<string, int> Ports { get; private set; } = new Dictionary<string, int>();

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
        // One more port than the template names: the cluster's Prometheus (when monitoring.yml is there) listens on it.
        var ports = PortAllocator.Allocate([.. ComposeFileRenderer.PortNames(template), PrometheusPort], options.Ports);
        Ports = ports;
        var directory = Layout.Run(project.RunId).CreateDirectory();
        foreach (var file in Directory.GetFiles(Layout.VirtualEnvironment))
            if (Path.GetFileName(file) is not (ClusterLayout.TemplateName or ClusterLayout.ChecksName or ClusterLayout.MonitoringName))
                File.Copy(file, directory / Path.GetFileName(file), overwrite: true);
        var composeFile = directory / "compose.yml";
        File.WriteAllText(composeFile, ComposeFileRenderer.Render(template, images, ports, values, Relative(Layout.Template)));
        return composeFile;
    }

    /// <summary>Stops the run's Prometheus (unless --keep keeps it beside the cluster); a failed run keeps its log.</summary>
    private async Task StopPrometheusAsync(ClusterPrometheus prometheus, Task? started, bool failed)
    {
        try { if (started is not null) await started; }
        catch (Exception e) when (e is not OutOfMemoryException) { Log.Warning($"Prometheus did not start: {e.Message}"); }
        if (failed && File.Exists(prometheus.LogFile))
            File.Copy(prometheus.LogFile, Layout.Logs.CreateDirectory() / "prometheus.log", overwrite: true);
        if (options.Keep) Log.Information($"--keep: Prometheus keeps running at {prometheus.Client.BaseUrl} (the next run stops it).");
        else await prometheus.DisposeAsync();
    }

    private static CheckResult Logged(CheckResult result)
    {
        if (result.Passed) Log.Information($"  ✓ {result.Name} ({result.Duration.TotalSeconds:0.0} s): {result.Message}");
        else Log.Error($"  ✗ {result.Name}: {result.Message}");
        return result;
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
