using Pipeline.Deploying;
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
        // Only the tests use these (the other targets declare the rest): busybox-static for the tiny test images and
        // the deploy tests' stand-in app, etcd-server for the etcd output's tests, node and npm for the cloud tests' referee
        // (the official AWS and Google SDKs, installed by the tests with npm ci from its package-lock.json).
        .Needs(HeartbeatStandIn.Busybox, Deploying.Outputs.EtcdService.Tool, Tool.Apt("node", "nodejs"), Tool.Apt("npm"))
        .Executes(async ct =>
        {
            // The integration tests need a Docker engine; start it the way Images does (their fixtures would too).
            if (ToolCheck.Missing(Dockerd.Tools).Count == 0) await EnsureDockerAsync(ct);
            var run = new TestRun(RootDirectory, Solution, Configuration, TestResultsDirectory, Filter);
            var totals = await run.ExecuteAsync(ct);
            Log.Closing(totals.ClosingLine);
            if (totals.Failed > 0 || totals.Passed == 0)
                throw new PipelineException($"{totals.Failed} test(s) failed; details above and in {TestResultsDirectory.RelativeTo(RootDirectory)}.");
        });
}
