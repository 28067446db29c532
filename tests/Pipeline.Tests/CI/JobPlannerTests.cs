using FluentAssertions;
using Pipeline.CI;
using Pipeline.Engine;
using Pipeline.Engine.Graph;
using Xunit;

namespace Pipeline.Tests.CI;

public class JobPlannerTests
{
    /// <summary>A small graph to plan: Lint; Bake → Check; Ship (depends on Bake, after Check).</summary>
    private sealed class SmallBuild : PipelineBuild
    {
        public bool ShipAfterCheck = true;
        Target Lint => _ => _.Description("lint").Executes(() => { });
        Target Bake => _ => _.Description("bake").Executes(() => { });
        Target Check => _ => _.Description("check").DependsOn(Bake).Executes(() => { });
        Target Ship => _ => ShipAfterCheck
            ? _.Description("ship").DependsOn(Bake).After(Check).Executes(() => { })
            : _.Description("ship").DependsOn(Bake).Executes(() => { });
    }

    private static readonly Stage[] SmallStages =
    [
        new("lint", "Lint", ["Lint"]),
        new("bake", "Bake", ["Bake"]),
        new("check", "Check", ["Check"]),
        new("ship-staging", "Ship", ["Ship"]) { Environment = "staging" },
        new("ship-production", "Ship", ["Ship"]) { Environment = "production", After = ["ship-staging"] },
    ];

    private static IReadOnlyList<PlannedJob> Plan(SmallBuild build) => JobPlanner.Plan(TargetGraph.Create(build).Targets, SmallStages);

    [Fact]
    public void A_job_needs_the_jobs_that_run_its_targets_predecessors_without_redundant_edges()
    {
        var jobs = Plan(new SmallBuild()).ToDictionary(j => j.Stage.Id);

        jobs["lint"].Needs.Should().BeEmpty();
        jobs["check"].Needs.Should().Equal("bake");
        jobs["ship-staging"].Needs.Should().Equal(["check"], "bake is reached through check");
        jobs["ship-production"].Needs.Should().Equal("ship-staging");
    }

    [Fact]
    public void Changing_a_dependency_changes_the_needs()
    {
        var jobs = Plan(new SmallBuild { ShipAfterCheck = false }).ToDictionary(j => j.Stage.Id);

        jobs["ship-staging"].Needs.Should().Equal("bake");
    }

    [Fact]
    public void Dependencies_an_earlier_job_runs_are_skipped_and_environment_jobs_each_run_their_own_targets()
    {
        var jobs = Plan(new SmallBuild()).ToDictionary(j => j.Stage.Id);

        jobs["bake"].Command.Should().Be("./build.sh Bake");
        jobs["check"].Command.Should().Be("./build.sh Check --skip", "Bake ran in the bake job; only Check runs here");
        jobs["ship-staging"].Command.Should().Be("./build.sh Ship --skip --environment staging");
        jobs["ship-production"].Command.Should().Be("./build.sh Ship --skip --environment production");
    }

    [Fact]
    public void A_stage_naming_an_unknown_target_is_an_error()
    {
        var act = () => JobPlanner.Plan(TargetGraph.Create(new SmallBuild()).Targets, [new("x", "X", ["Nope"])]);

        act.Should().Throw<PipelineException>().WithMessage("*stage 'x'*'Nope'*");
    }

    [Fact]
    public void The_real_pipeline_runs_the_tests_then_checks_their_skips_and_production_promotes_instead_of_publishing()
    {
        var build = WorkflowTestSupport.RealBuild();
        var jobs = JobPlanner.Plan(build.AllTargets, build.PipelineWorkflow.Stages).ToDictionary(j => j.Stage.Id);

        jobs["tests"].Command.Should().Be("./build.sh CheckFormat Test CheckTestSkips");
        jobs["tests"].Needs.Should().BeEmpty();
        jobs["images"].Targets.Should().Contain(["Packages", "Images"]);
        jobs["deploy-staging"].Targets.Should().EndWith(["Deploy", "Dns"])
            .And.NotContain("Publish", "the publish job published to staging");
        jobs["deploy-production"]
            .Targets.Should()
            .EndWith(["Promote", "Deploy", "Dns"])
            .And.NotContain("Publish", "production promotes what staging verified: no second push");
        jobs["deploy-production"].Command.Should().Contain("--environment production --from-environment staging");
        jobs["deploy-production"].Needs.Should().Equal("deploy-staging");
    }
}
