using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Tools.Apt;
using Xunit;

namespace Pipeline.Tests.Engine;

public class PrerequisiteTests
{
    private static readonly Tool Present = Tool.Apt("sh", "dash");
    private static readonly Tool MissingApt = Tool.Apt("pipeline-fake-tool", "pipeline-fake-pkg");
    private static readonly Tool MissingNpm = Tool.Npm("pipeline-fake-npm-tool", "@pipeline/fake");

    [Fact]
    public void Missing_lists_only_tools_not_on_PATH_once_each()
    {
        ToolCheck.Missing([Present, MissingApt, MissingApt with { Package = "other" }, MissingNpm])
            .Should().Equal(MissingApt, MissingNpm);
        ToolCheck.Which("sh").Should().NotBeNull();
        ToolCheck.Which("/bin/sh").Should().Be("/bin/sh");
        ToolCheck.Which("/nonexistent/sh").Should().BeNull();
    }

    [Fact]
    public void InstallCommands_groups_apt_and_npm_packages()
    {
        ToolCheck.InstallCommands([MissingApt, Tool.Apt("x", "pkg-x"), MissingNpm, Tool.Apt("y", "pkg-x")])
            .Should().Be("sudo apt-get install -y pipeline-fake-pkg pkg-x && sudo npm install -g @pipeline/fake");
        ToolCheck.InstallCommands([MissingNpm]).Should().Be("sudo npm install -g @pipeline/fake");
        MissingApt.InstallCommand.Should().Be("apt-get install -y pipeline-fake-pkg");
    }

    [Fact]
    public async Task Without_root_a_missing_tool_fails_naming_the_exact_command()
    {
        var installer = new PrerequisiteInstaller(isRoot: false, dryRun: false);

        var act = () => installer.InstallAsync([Present, MissingApt], CancellationToken.None);

        (await act.Should().ThrowAsync<PipelineException>()).Which.Message
            .Should().Be("Missing pipeline-fake-tool; not root, so run: sudo apt-get install -y pipeline-fake-pkg");
    }

    [Fact]
    public async Task A_dry_run_prints_what_it_would_install_and_installs_nothing()
    {
        var sink = new ListSink();
        new BuildSession([sink]).ActivateForThisFlow();

        await new PrerequisiteInstaller(isRoot: true, dryRun: true).InstallAsync([MissingApt, MissingNpm], CancellationToken.None);

        sink.Entries.Should().ContainSingle().Which.Message
            .Should().Be("Would install: sudo apt-get install -y pipeline-fake-pkg && sudo npm install -g @pipeline/fake");
    }

    [Fact]
    public async Task With_everything_installed_it_says_so()
    {
        var sink = new ListSink();
        new BuildSession([sink]).ActivateForThisFlow();

        await new PrerequisiteInstaller(isRoot: false, dryRun: false).InstallAsync([Present], CancellationToken.None);

        sink.Entries.Should().ContainSingle().Which.Message.Should().Be("All 1 tools are installed: sh.");
    }
}

public class RealBuildTests
{
    [Fact]
    public void Every_target_of_the_real_build_has_a_description_and_the_graph_has_no_errors()
    {
        var graph = Pipeline.Engine.Graph.TargetGraph.Create(new Pipeline.Build());

        graph.Targets.Should().NotBeEmpty();
        graph.Targets.Where(t => string.IsNullOrWhiteSpace(t.Description)).Select(t => t.Name).Should().BeEmpty();
    }

    [Fact]
    public void Every_parameter_of_the_real_build_has_a_description_and_distinct_names()
    {
        var parameters = Pipeline.Engine.Parameters.ParameterInfo.Discover(typeof(Pipeline.Build));
        parameters.Where(p => string.IsNullOrWhiteSpace(p.Description)).Select(p => p.Name).Should().BeEmpty();
        parameters.Select(p => p.Flag).Should().OnlyHaveUniqueItems();
        parameters.Select(p => p.EnvironmentVariable).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task The_real_build_plans_every_target_without_graph_errors()
    {
        var graph = Pipeline.Engine.Graph.TargetGraph.Create(new Pipeline.Build());
        foreach (var target in graph.Targets)
        {
            var run = await EngineHarness.RunAsync(
                new Pipeline.Build(),
                EngineHarness.DefaultOf<Pipeline.Build>(),
                ["--plan", target.Name]
            );
            run.ExitCode.Should().Be(0, $"--plan {target.Name} printed:\n{run.Output}");
            run.Output.Should().Contain($". {target.Name}");
        }
    }
}
