using FluentAssertions;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.Tests.CI;

/// <summary>
/// Derives, independently of the generator, which job must wait for which: job A waits for job B when a target
/// A runs has a predecessor (DependsOn, After, or a trigger) that B runs — B of A's environment or of none; for a
/// dependency, failing such a B, any B; an ordering-only edge (After/Before) to another environment's job counts not —
/// or when the stage declares the gate. The generated needs: must have exactly that transitive closure, and
/// no redundant edge.
/// </summary>
public class NeedsMatchTheTargetGraphTests
{
    public static TheoryData<string> Workflows => new() { "pipeline.yml", "nightly.yml" };

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Needs_edges_are_the_target_graph_edges_between_jobs_transitively_reduced(string file)
    {
        var build = WorkflowTestSupport.RealBuild();
        var yaml = build.RenderWorkflows().Single(f => f.FileName == file).Content;
        var jobs = WorkflowTestSupport
            .Jobs(WorkflowTestSupport.Parse(yaml))
            .Children.Select(kv => (Id: kv.Key.ToString(), Node: (YamlDotNet.RepresentationModel.YamlMappingNode)kv.Value))
            .Select(j =>
                (
                    j.Id,
                    Command: WorkflowTestSupport.Command(j.Node),
                    Needs: WorkflowTestSupport.Needs(j.Node),
                    Runs: WorkflowTestSupport.RunTargets(j.Node, build)
                )
            )
            .ToList();
        var gates = (file == "pipeline.yml" ? build.PipelineWorkflow : build.NightlyWorkflow).Stages
            .SelectMany(s => s.After.Select(a => (From: s.Id, To: a)));

        var byName = build.AllTargets.ToDictionary(t => t.Name);
        var expected = new HashSet<(string From, string To)>(gates);
        foreach (var job in jobs)
        {
            var environment = WorkflowTestSupport.EnvironmentOf(job.Command);
            var runs = job.Runs;
            foreach (var target in runs.Select(n => byName[n]))
            {
                var required = target
                    .Dependencies.Concat(build.AllTargets.Where(t => t.Triggered.Contains(target)))
                    .Select(t => t.Name)
                    .ToHashSet();
                var predecessors = required.Concat(target.OrderedAfter.Select(t => t.Name)).Where(n => !runs.Contains(n)).Distinct();
                foreach (var predecessor in predecessors)
                {
                    var owners = jobs.Where(o => o.Id != job.Id && o.Runs.Contains(predecessor)).ToList();
                    var local = owners
                        .Where(o =>
                            WorkflowTestSupport.EnvironmentOf(o.Command) is null
                            || WorkflowTestSupport.EnvironmentOf(o.Command) == environment
                        )
                        .ToList();
                    foreach (var owner in local.Count > 0 || !required.Contains(predecessor) ? local : owners)
                        expected.Add((job.Id, owner.Id));
                }
            }
        }
        var actual = jobs.SelectMany(j => j.Needs.Select(n => (From: j.Id, To: n))).ToHashSet();

        Closure(actual)
            .Should()
            .BeEquivalentTo(Closure(expected), "needs: must order the jobs exactly as the target graph orders their targets");
        foreach (var edge in actual)
            Closure(actual.Where(e => e != edge))
                .Should()
                .NotContain(edge, $"{edge.From} -> {edge.To} is implied by other needs and should be left out");
    }

    [Fact]
    public void Every_target_a_job_depends_on_runs_in_that_job_or_in_a_job_it_waits_for()
    {
        var build = WorkflowTestSupport.RealBuild();
        var yaml = build.RenderWorkflows().Single(f => f.FileName == "pipeline.yml").Content;
        var jobs = WorkflowTestSupport.Jobs(WorkflowTestSupport.Parse(yaml)).Children
            .ToDictionary(kv => kv.Key.ToString(), kv => (YamlDotNet.RepresentationModel.YamlMappingNode)kv.Value);
        var needs = jobs.SelectMany(j => WorkflowTestSupport.Needs(j.Value).Select(n => (From: j.Key, To: n))).ToHashSet();
        var closure = Closure(needs);
        var byName = build.AllTargets.ToDictionary(t => t.Name);

        foreach (var (id, job) in jobs)
        {
            var runs = WorkflowTestSupport.RunTargets(job, build);
            var upstream = jobs.Keys.Where(k => closure.Contains((id, k)))
                .SelectMany(k => WorkflowTestSupport.RunTargets(jobs[k], build)).ToHashSet();
            foreach (var dependency in runs.SelectMany(n => AllDependencies(byName[n])).Where(d => d != "Prerequisites"))
                (runs.Contains(dependency) || upstream.Contains(dependency)).Should().BeTrue(
                    $"job {id} runs a target depending on {dependency}, which must run in it or before it");
        }
    }

    private static IEnumerable<string> AllDependencies(ExecutableTarget target) =>
        target.Dependencies.SelectMany(d => AllDependencies(d).Prepend(d.Name));

    private static HashSet<(string From, string To)> Closure(IEnumerable<(string From, string To)> edges)
    {
        var set = edges.ToHashSet();
        bool added;
        do
        {
            added = false;
            foreach (var (a, b) in set.ToList())
                foreach (var (c, d) in set.ToList())
                    if (b == c && set.Add((a, d))) added = true;
        } while (added);
        return set;
    }
}
