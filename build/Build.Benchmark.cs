using Pipeline.Benchmarks;
using Pipeline.Engine;

namespace Pipeline;

/// <summary>Speed goals live here, measured beside each capability's peer tool in the same run.</summary>
partial class Build
{
    [Parameter("Benchmark scenarios to run (default: all): startup.")]
    readonly string[] Scenario = [];

    [Parameter("Repetitions per measured way (medians are reported).")]
    readonly int BenchmarkRuns = 7;

    AbsolutePath BenchDirectory => ArtifactsDirectory / "bench";

    Target Benchmark => _ => _
        .Description("Measure each capability beside its peer tool; write artifacts/bench/<scenario>.md.")
        .Executes(async ct =>
        {
            var known = new[] { "startup" };
            var chosen = Scenario.Length == 0 ? known : Scenario.Select(s => s.ToLowerInvariant()).ToArray();
            foreach (var unknown in chosen.Except(known))
                throw new UsageException($"--scenario: unknown scenario '{unknown}'.{Suggestions.DidYouMean(unknown, known)} Known: {string.Join(", ", known)}.");
            BenchDirectory.CreateDirectory();

            if (chosen.Contains("startup"))
            {
                var (ours, peer) = await new StartupScenario(RootDirectory, Math.Max(5, BenchmarkRuns)).RunAsync(ct);
                var report = BenchmarkReport.Render("Start-up: warm ./build.sh --help",
                    "The bootstrapper recompiles only when a stamp over the hashes of `build/**` changes, then starts the compiled assembly directly.",
                    ours, peer, StartupScenario.Goal);
                await File.WriteAllTextAsync(BenchDirectory / "startup.md", report, ct);
                Log.Information($"startup: {BenchmarkReport.Ratio(ours, peer):0.000} × the NUKE-style start (goal ≤ {StartupScenario.Goal}); wrote artifacts/bench/startup.md");
            }
        });
}
