namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// The tests job's suite step is this very suite (the one running the local runner). On a runner machine it runs as the
/// workflow writes it (as root, through sudo, then CheckTestSkips with no skip accepted), narrowed by <c>--filter</c> to
/// the root-only packaging tool tests, which would skip as the runner's user. A filter also turns CheckFormat off; this
/// suite's own run checks the format. Later runs of the same commit echo instead: the suite of that commit ran.
/// </summary>
public sealed class SuiteNarrowing
{
    public const string Suite = "./build.sh CheckFormat Test CheckTestSkips";
    public const string Filter = "FullyQualifiedName~Pipeline.IntegrationTests.Packaging.PackageToolsTests";
    private int _runs;

    /// <summary>A <see cref="RunnerSettings.RewriteRun"/>: only the tests job's suite command changes.</summary>
    public string Rewrite(string job, string script)
    {
        if (job != "tests" || !script.Contains("./build.sh", StringComparison.Ordinal)) return script;
        var at = script.IndexOf(Suite, StringComparison.Ordinal);
        // The whole suite must never run inside the runner: a tests job whose command changed fails here, not inside it.
        if (at < 0 && script.Contains(" Test", StringComparison.Ordinal))
            throw new InvalidOperationException($"the tests job's step no longer runs `{Suite}`: update {nameof(SuiteNarrowing)}");
        if (at < 0) return script;
        return Interlocked.Increment(ref _runs) == 1
            ? script.Insert(at + Suite.Length, $" --filter \"{Filter}\"")
            : "echo 'The suite of this commit ran in the first run of this runner: not again.'\n";
    }
}
