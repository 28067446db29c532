using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Process;
using System.Diagnostics;

namespace Pipeline.Clustering;

/// <summary>
/// Runs an xunit project against the cluster for checks that need code: <c>dotnet test &lt;csproj&gt;</c> with the
/// cluster's endpoints as environment variables (CLUSTER_LB_URL, CLUSTER_&lt;SERVICE&gt;_URL, CLUSTER_PROJECT, …).
/// </summary>
public static class ClusterTestsRunner
{
    public static IReadOnlyList<string> Arguments(string project, string resultsFile) =>
        ["test", project, "--nologo", "--logger", $"trx;LogFileName={resultsFile}"];

    public static async Task<CheckResult> RunAsync(
        string project,
        IReadOnlyDictionary<string, string> environment,
        string resultsFile,
        CancellationToken ct
    )
    {
        var watch = Stopwatch.StartNew();
        var command = Cli.Wrap("dotnet")
            .WithArguments(Arguments(project, resultsFile))
            .WithValidation(CommandResultValidation.None)
            .WithLog();
        foreach (var (name, value) in environment) command = command.WithEnvironment(name, value);
        Log.Information($"Running {project} against the cluster ({string.Join(", ", environment.Keys)})…");
        var result = await command.RunAsync(ct);
        // dotnet test writes the results itself, with whatever the tests printed (CLUSTER_PASSWORD among their
        // variables): rewritten through the masker like every file of the run.
        if (File.Exists(resultsFile)) await MaskedFile.WriteAllTextAsync(resultsFile, await File.ReadAllTextAsync(resultsFile, ct), ct);
        return new CheckResult(
            $"dotnet test {Path.GetFileName(project)}",
            "xunit",
            result.ExitCode == 0,
            watch.Elapsed,
            result.ExitCode == 0
                ? $"passed (results: {resultsFile})"
                : $"dotnet test exited with {result.ExitCode} (results: {resultsFile})"
        );
    }
}
