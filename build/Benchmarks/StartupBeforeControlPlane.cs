using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Process;
using System.Text;

namespace Pipeline.Benchmarks;

/// <summary>
/// Issue 21's promise that the control plane costs a plain <c>./build.sh</c> nothing: warm <c>./build.sh --help</c> of this
/// checkout beside the same command at <see cref="Before"/>, the last commit before <c>server/Pipeline.Server</c> was added,
/// cloned (shared) into a scratch directory and compiled there once. Alternating whole processes, same run. A clone without
/// that commit (shallow) gets a line saying so instead.
/// </summary>
public static class StartupBeforeControlPlane
{
    public const string Before = "4ec190f";
    public const double Goal = 1.05;

    public static async Task<string> MeasureAsync(BenchmarkContext context, int runs, CancellationToken ct)
    {
        var root = context.Root;
        var found = await Cli.Wrap("git").WithArguments(["cat-file", "-e", $"{Before}^{{commit}}"]).WithWorkingDirectory(root)
            .WithValidation(CommandResultValidation.None).RunBufferedAsync(ct);
        if (found.ExitCode != 0)
            return $"## Before the control plane\n\nNot measured: this clone lacks commit {Before} (a shallow clone?).\n";
        var before = context.Build.TemporaryDirectory / "bench-startup-before";
        if (!File.Exists(before / "build.sh"))
        {
            if (Directory.Exists(before)) Directory.Delete(before, recursive: true); // a clone cut short
            // A git checkout, as this one is: the bootstrapper's stamp reads git's index there, and file stats elsewhere.
            Log.Information($"Cloning {Before} (before the control plane); its build compiles on its first start…");
            await Cli.Wrap("git").WithArguments(["clone", "-q", "--shared", "--no-checkout", root, before]).RunBufferedAsync(ct);
            await Cli.Wrap("git").WithArguments(["-c", "advice.detachedHead=false", "checkout", "-q", Before])
                .WithWorkingDirectory(before).RunBufferedAsync(ct);
        }
        var whole = await WholeCommand.MeasureAsync(
            ("`./build.sh --help` now", c => Measurement.RunQuietAsync(WholeCommand.BuildSh(root, "--help"), c)),
            ($"`./build.sh --help` at {Before}, before the control plane",
                c => Measurement.RunQuietAsync(WholeCommand.BuildSh(before, "--help"), c)),
            runs,
            Goal,
            ct
        );
        return Render(whole);
    }

    private static string Render(WholeCommand whole)
    {
        var sb = new StringBuilder("## Before the control plane").AppendLine().AppendLine();
        sb.AppendLine($"Warm `./build.sh --help` now and at {Before}, the last commit before `./build.sh Serve` and its project were "
            + "added, as whole processes, alternating, same run (issue 21: a plain `./build.sh` must not get slower to start):");
        BenchmarkReport.AppendTable(sb.AppendLine(), whole.Ours, whole.Peer);
        sb.AppendLine(BenchmarkReport.Verdict("Now / before", "medians", whole.Ratio, whole.Goal, " (no slower, within 5% noise)"));
        return sb.ToString();
    }
}
