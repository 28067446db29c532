using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline;

/// <summary>The solution's tests: in-memory layers and integration tests against real services.</summary>
partial class Build
{
    [Parameter("Run only the tests matching this dotnet test filter, e.g. FullyQualifiedName~Engine.")]
    readonly string? Filter;

    AbsolutePath TestResultsDirectory => TemporaryDirectory / "test-results";

    Target Test => _ => _
        .Description("Run every test project of Pipeline.sln and end with 'N passed, N failed'.")
        // Self-sufficient on a fresh machine: Prerequisites installs (as root) every tool the tests start, or names
        // the one command to run.
        .DependsOn(Prerequisites, CheckFormat)
        .Needs(() => TestTools.Started)
        .Executes(async ct =>
        {
            // The integration tests need a Docker engine; start it the way Images does (their fixtures would too).
            if (ToolCheck.Missing(Dockerd.Tools).Count == 0) await EnsureDockerAsync(ct);
            var run = new TestRun(RootDirectory, Solution, Configuration, TestResultsDirectory, Filter);
            var totals = await run.ExecuteAsync(ct);
            // The failures are repeated after the summary, where a CI log's tail shows them.
            foreach (var failure in totals.Failures.Take(20)) Log.Closing($"failed: {failure}");
            Log.Closing(totals.ClosingLine);
            if (totals.Failed > 0 || totals.Passed == 0)
                throw new PipelineException(
                    $"{totals.Failed} test(s) failed (named above); details in {TestResultsDirectory.RelativeTo(RootDirectory)}."
                );
        });

    Target CheckFormat => _ => _
        .Description("Check the code against .editorconfig with dotnet format --verify-no-changes (Test runs it unless --filter is given).")
        .OnlyWhenStatic(() => Filter == null)
        .Executes(async ct =>
        {
            try { await DotNet(["format", Solution, "--verify-no-changes"], ct); }
            catch (PipelineException e) when (!ct.IsCancellationRequested)
            {
                throw new PipelineException(
                    "The code is not formatted as .editorconfig says (the lines above name each place): "
                    + "run `dotnet format Pipeline.sln`, review the change and commit it.",
                    e
                );
            }
        });
}
