using Pipeline.Engine;

namespace Pipeline.Benchmarks;

/// <summary>
/// One benchmark scenario: measures a capability beside its peer tool in the same run and returns the Markdown
/// written to <c>artifacts/bench/&lt;Name&gt;.md</c>. Scenarios are found by reflection: add a class, nothing else.
/// </summary>
public interface IBenchmarkScenario
{
    /// <summary>The <c>--scenario</c> name and file name, e.g. <c>startup</c>.</summary>
    string Name { get; }

    /// <summary>Whether the scenario talks to the Docker engine (the Benchmark target starts dockerd for it).</summary>
    bool UsesDocker => false;

    Task<string> RunAsync(BenchmarkContext context, CancellationToken ct);
}

/// <param name="Root">The repository root.</param>
/// <param name="Runs">Repetitions per measured way.</param>
/// <param name="Build">The running build, for paths and parameters.</param>
public sealed record BenchmarkContext(AbsolutePath Root, int Runs, PipelineBuild Build);
