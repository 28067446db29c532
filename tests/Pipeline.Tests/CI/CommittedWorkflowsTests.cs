using FluentAssertions;
using Pipeline.CI;
using Xunit;

namespace Pipeline.Tests.CI;

/// <summary>
/// The workflows under .github/workflows are generated from the target graph. This is the test that makes
/// <c>./build.sh Test</c> fail when someone changes a target's dependencies (or stages, or secrets) and does
/// not regenerate.
/// </summary>
public class CommittedWorkflowsTests
{
    [Fact]
    public void Committed_workflows_equal_what_GenerateCI_writes_now()
    {
        var root = WorkflowTestSupport.RepositoryRoot();
        var generated = WorkflowTestSupport.RealBuild().RenderWorkflows();

        var differences = WorkflowFiles.Differences(root, generated);

        if (differences.Count > 0)
            Assert.Fail(
                $"The committed workflows no longer match the target graph. Run `{WorkflowFiles.FixCommand}` and commit "
                + $"{WorkflowFiles.Folder}/.\n  "
                    + string.Join("\n  ", differences)
            );
    }

    [Fact]
    public void A_workflow_that_differs_is_reported_with_its_file_and_first_differing_line()
    {
        var root = new Pipeline.Engine.AbsolutePath(Directory.CreateTempSubdirectory("cigen-").FullName);
        try
        {
            var folder = (root / WorkflowFiles.Folder).CreateDirectory();
            File.WriteAllText(folder / "pipeline.yml", "name: x\nneeds: [a]\n");

            var differences = WorkflowFiles.Differences(root, [("pipeline.yml", "name: x\nneeds: [b]\n"), ("nightly.yml", "name: y\n")]);

            differences.Should().Equal(
                ".github/workflows/pipeline.yml:2: committed 'needs: [a]', generated 'needs: [b]'",
                ".github/workflows/nightly.yml is missing");
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void Rendering_twice_gives_the_same_bytes()
    {
        var first = WorkflowTestSupport.RealBuild().RenderWorkflows();
        var second = WorkflowTestSupport.RealBuild().RenderWorkflows();

        second.Should().Equal(first);
        first.Select(f => f.FileName).Should().Equal("pipeline.yml", "nightly.yml");
    }
}
