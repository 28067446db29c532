using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Engine.Graph;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.IntegrationTests.CI;

/// <summary>
/// The generated workflows against a real validator: <c>action-validator</c> (npm @action-validator/cli,
/// declared by GenerateCI, so <c>./build.sh Prerequisites</c> installs it). It checks the workflow schema and
/// that every <c>needs:</c> names a job.
/// </summary>
public class ActionValidatorTests
{
    private static async Task<BufferedCommandResult> Validate(string file) =>
        await Cli.Wrap("action-validator").WithArguments([file]).WithValidation(CommandValidation.None).ExecuteBufferedAsync();

    private static void RequireValidator()
    {
        if (ToolCheck.Missing([Tool.Npm("action-validator", "@action-validator/cli")]).Count > 0)
            Assert.Fail("action-validator is not installed: run ./build.sh Prerequisites (GenerateCI declares it).");
    }

    [Fact]
    public async Task The_generated_workflows_pass_action_validator()
    {
        RequireValidator();
        var build = new Build();
        build.AllTargets = TargetGraph.Create(build).Targets;
        var folder = Directory.CreateTempSubdirectory("cigen-validate-");
        try
        {
            foreach (var (name, content) in build.RenderWorkflows())
            {
                var path = Path.Combine(folder.FullName, name);
                await File.WriteAllTextAsync(path, content);

                var result = await Validate(path);

                result.ExitCode.Should().Be(0, $"action-validator rejected {name}:\n{result.StandardOutput}{result.StandardError}");
            }
        }
        finally { folder.Delete(recursive: true); }
    }

    [Fact]
    public async Task Action_validator_rejects_a_workflow_whose_needs_name_no_job()
    {
        RequireValidator();
        var path = Path.Combine(Directory.CreateTempSubdirectory("cigen-validate-").FullName, "broken.yml");
        await File.WriteAllTextAsync(path, "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: [nope]\n    steps:\n      - run: ./build.sh Test\n");
        try
        {
            var result = await Validate(path);

            result.ExitCode.Should().NotBe(0);
            (result.StandardOutput + result.StandardError).Should().Contain("unresolved_job");
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, recursive: true); }
    }
}
