using Pipeline.Benchmarks;
using Pipeline.Engine;
using System.Diagnostics.CodeAnalysis;

namespace Pipeline;

/// <summary>Speed goals live here, measured beside each capability's peer tool in the same run.</summary>
partial class Build
{
    [Parameter("Benchmark scenarios to run (default: all), e.g. --scenario startup.")]
    readonly string[] Scenario = [];

    [Parameter("Repetitions per measured way (medians are reported).", Minimum = 1)]
    readonly int BenchmarkRuns = 7;

    AbsolutePath BenchDirectory => ArtifactsDirectory / "bench";

    Target Benchmark => _ => _
        .Description("Measure each capability beside its peer tool in the same run; write artifacts/bench/<scenario>.md.")
        // The peers and the load: wrk, hey and ansible (deploy), certbot (acme), s3cmd and rclone (backup), named and nsupdate (dns);
        // busybox-static for the stand-in app; git (versions, and the startup scenario's clone of the commit before Serve).
        // Like Test, self-sufficient: Prerequisites installs the peers as root, or names the one command to run.
        .DependsOn(Prerequisites)
        .Needs([Tool.Apt("git"), Tool.Apt("wrk"), Tool.Apt("certbot"), HeartbeatStandIn.Busybox, .. BackupScenario.Tools,
            Pipeline.Dns.BindService.Named, DnsScenario.Nsupdate, .. PacedLoad.Tools, .. AnsibleRollingPeer.Tools])
        .Executes(async ct =>
        {
            var all = AllScenarios();
            var names = all.Select(s => s.Name).ToList();
            foreach (var unknown in Scenario.Where(s => !names.Contains(s, StringComparer.OrdinalIgnoreCase)))
                throw new UsageException(
                    $"--scenario: unknown scenario '{unknown}'.{Suggestions.DidYouMean(unknown, names, anyDistance: true)} Known: "
                    + $"{string.Join(", ", names)}."
                );
            var chosen = Scenario.Length == 0 ? all : all.Where(s => Scenario.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToList();

            if (chosen.Any(s => s.UsesDocker)) await EnsureDockerAsync(ct);
            BenchDirectory.CreateDirectory();
            var context = new BenchmarkContext(RootDirectory, BenchmarkRuns, this);
            foreach (var scenario in chosen)
            {
                Log.Information($"Scenario {scenario.Name}");
                var markdown = await scenario.RunAsync(context, ct);
                await MaskedFile.WriteAllTextAsync(BenchDirectory / $"{scenario.Name}.md", markdown, ct);
                Log.Information($"Wrote artifacts/bench/{scenario.Name}.md");
            }
            await MaskedFile.WriteAllTextAsync(BenchDirectory / "report.md", BenchmarkReport.Gather(BenchDirectory, names), ct);
            Log.Information("Wrote artifacts/bench/report.md (every scenario's latest figures).");
        });

    /// <summary>Every benchmark scenario class of the build, by name.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The build's assembly is a trimmer root: no type is removed.")]
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "The build's assembly is a trimmer root: constructors stay.")]
    static List<IBenchmarkScenario> AllScenarios() =>
        typeof(IBenchmarkScenario).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmarkScenario).IsAssignableFrom(t))
            .Select(t => (IBenchmarkScenario)Activator.CreateInstance(t)!)
            .OrderBy(s => s.Name).ToList();
}
