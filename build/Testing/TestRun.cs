using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Process;

namespace Pipeline.Testing;

/// <summary>One <c>dotnet test</c> over the solution, its output in the log, totals from TRX files.</summary>
public sealed class TestRun(AbsolutePath root, AbsolutePath solution, string configuration, AbsolutePath results, string? filter)
{
    public async Task<TestTotals> ExecuteAsync(CancellationToken ct)
    {
        if (Directory.Exists(results)) Directory.Delete(results, recursive: true);
        Directory.CreateDirectory(results);
        List<string> args =
        [
            "test", solution, "-c", configuration, "--nologo",
            "--logger", "trx", "--logger", "console;verbosity=normal", "--results-directory", results,
        ];
        if (!string.IsNullOrWhiteSpace(filter)) args.AddRange(["--filter", filter]);

        var result = await Cli.Wrap("dotnet").WithArguments(args).WithWorkingDirectory(root)
            .WithEnvironment("PIPELINE_ROOT", root)
            .WithValidation(CommandResultValidation.None)
            .WithLog()
            .RunAsync(ct);

        var totals = TestTotals.FromTrx(Directory.GetFiles(results, "*.trx", SearchOption.AllDirectories));
        if (result.ExitCode != 0 && totals.Failed == 0)
            throw new PipelineException(
                $"dotnet test exited with {result.ExitCode} before reporting any failed test (a build error?); see the log above."
            );
        return totals;
    }
}
