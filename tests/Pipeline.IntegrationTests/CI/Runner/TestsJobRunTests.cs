using FluentAssertions;
using Pipeline.IntegrationTests.Packaging;
using System.Reflection;
using Xunit;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// The tests job of the push that the local runner runs (<see cref="WorkflowRunnerFixture"/>): its suite step runs as the
/// workflow writes it, as root, narrowed to the root-only tests (<see cref="SuiteNarrowing"/>), and CheckTestSkips accepts
/// no skip.
/// </summary>
[Collection(WorkflowRunnerCollection.Name)]
public sealed class TestsJobRunTests(WorkflowRunnerFixture fixture)
{
    [Fact]
    public void The_tests_job_runs_the_suite_as_root_so_the_root_only_tests_run_and_no_skip_is_accepted()
    {
        var log = fixture.First["tests"].Log;
        var rootOnly = typeof(PackageToolsTests).GetMethods().Count(m => m.GetCustomAttribute<RootFactAttribute>() is not null);

        fixture.First["tests"].Result.Should().Be("success", log);
        log.Should().Contain("Passed Pipeline.IntegrationTests.Packaging.PackageToolsTests.Lintian_reports_no_errors_or_warnings",
            "a [RootFact] ran instead of skipping");
        log.Should().MatchRegex($@"(?m)^{rootOnly} passed, 0 failed\r?$", "every root-only packaging tool test ran, as root, none skipped");
        log.Should().Contain("0 skipped test(s), each for a reason the workflow names.");
        log.Should().NotContain("Skipped as the workflow allows");
        log.Should().Contain("## step: Give the workspace back to the runner's user");
    }
}
