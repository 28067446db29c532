using FluentAssertions;
using Pipeline.CI;
using Xunit;

namespace Pipeline.Tests.CI;

public class TestSkipsTests
{
    /// <summary>Cut from a real TRX: dotnet test of the packaging integration tests as a non-root user (RootFact skips).</summary>
    private const string Trx = """
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun id="1" name="vm" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
            <UnitTestResult executionId="e1" testId="t1" testName="Pipeline.IntegrationTests.Packaging.PackageToolsTests.The_scripts_pass_a_shell_syntax_check" outcome="NotExecuted">
              <Output>
                <ErrorInfo>
                  <Message>needs root: installs lintian/debootstrap, builds a Debian chroot and runs apt-get inside it (run the tests as root)</Message>
                </ErrorInfo>
              </Output>
            </UnitTestResult>
            <UnitTestResult executionId="e2" testId="t2" testName="Pipeline.Tests.Other.Skipped_for_want_of_a_tool" outcome="NotExecuted">
              <Output><ErrorInfo><Message>etcd is not installed</Message></ErrorInfo></Output>
            </UnitTestResult>
            <UnitTestResult executionId="e3" testId="t3" testName="Pipeline.Tests.Other.Passes" outcome="Passed" />
          </Results>
        </TestRun>
        """;

    [Fact]
    public void Skipped_tests_are_read_with_their_reasons_from_the_trx()
    {
        TestSkips.Parse(Trx).Should().Equal(
            ("Pipeline.IntegrationTests.Packaging.PackageToolsTests.The_scripts_pass_a_shell_syntax_check",
             "needs root: installs lintian/debootstrap, builds a Debian chroot and runs apt-get inside it (run the tests as root)"),
            ("Pipeline.Tests.Other.Skipped_for_want_of_a_tool", "etcd is not installed"));
    }

    [Fact]
    public void A_skip_is_refused_unless_the_workflow_names_its_reason()
    {
        var skipped = TestSkips.Parse(Trx);

        TestSkips
            .NotAllowed(skipped, ["needs root: "])
            .Select(s => s.Test)
            .Should()
            .Equal("Pipeline.Tests.Other.Skipped_for_want_of_a_tool");
        TestSkips.NotAllowed(skipped, []).Should().HaveCount(2, "with no reason written in the workflow every skip fails the job");
    }

    [Fact]
    public void The_tests_job_runs_the_whole_suite_as_root_accepts_no_skip_and_gives_the_workspace_back_even_on_failure()
    {
        var yaml = WorkflowTestSupport.RealBuild().RenderWorkflows().Single(f => f.FileName == "pipeline.yml").Content;
        var tests = (YamlDotNet.RepresentationModel.YamlMappingNode)WorkflowTestSupport.Jobs(WorkflowTestSupport.Parse(yaml))["tests"];
        var steps = WorkflowTestSupport.Steps(tests);

        var run = steps.Single(s => WorkflowTestSupport.Get(s, "id") == WorkflowGenerator.TargetsStep);
        WorkflowTestSupport.Get(run, "run").Should()
            .Be("sudo --preserve-env --set-home env \"PATH=$PATH\" ./build.sh CheckFormat Test CheckTestSkips $DISPATCH_PARAMETERS");
        ((YamlDotNet.RepresentationModel.YamlMappingNode)run["env"]).Children.Keys.Select(k => k.ToString()).Should()
            .NotContain(WorkflowGenerator.AllowedSkipsVariable, "as root no test has a reason to skip");
        steps.Count(s => WorkflowTestSupport.Get(s, "run")?.Contains("--filter") == true).Should().Be(0, "no second, narrower run");
        var after = steps.SkipWhile(s => s != run).Skip(1).First();
        WorkflowTestSupport.Get(after, "run").Should().Be("sudo chown -R \"$(id -u):$(id -g)\" .");
        WorkflowTestSupport.Get(after, "if").Should().Be("always()");
        steps.Should()
            .NotContain(s => WorkflowTestSupport.Get(s, "name") == "Cache NuGet packages", "as root, restore goes to root's home");
    }

    [Fact]
    public void Only_the_tests_job_runs_its_targets_as_root()
    {
        foreach (var file in WorkflowTestSupport.RealBuild().RenderWorkflows())
            foreach (var (id, job) in WorkflowTestSupport.Jobs(WorkflowTestSupport.Parse(file.Content)).Children)
            {
                var run = WorkflowTestSupport.Steps((YamlDotNet.RepresentationModel.YamlMappingNode)job)
                    .Single(s => WorkflowTestSupport.Get(s, "id") == WorkflowGenerator.TargetsStep);
                WorkflowTestSupport.Get(run, "run")!.StartsWith("sudo", StringComparison.Ordinal).Should()
                    .Be(file.FileName == "pipeline.yml" && id.ToString() == "tests", $"{file.FileName} {id}");
            }
    }
}
