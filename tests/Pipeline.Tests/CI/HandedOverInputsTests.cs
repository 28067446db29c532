using FluentAssertions;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests.CI;

/// <summary>
/// A reduced stand-in for running every job on a fresh runner: for each job, the inputs its targets read — files an
/// earlier job writes, the images in its own engine, the secrets and cloud identities it declares — and whether the
/// workflow hands each one over (an artifact of a job it waits for, the 'images' artifact loaded by
/// LoadImageArchives, an env: entry, a file-writing step, a federation step). It proves the wiring of the YAML,
/// not that the jobs pass on GitHub's runners.
/// </summary>
public class HandedOverInputsTests
{
    /// <summary>Files of artifacts/ a target reads, and the targets that write them.</summary>
    private static readonly Dictionary<string, string[]> Reads = new()
    {
        ["ClusterTest"] = ["artifacts/images.json"],
        ["Publish"] = ["artifacts/images.json"],
        ["SaveImageArchives"] = ["artifacts/images.json"],
        ["Promote"] = ["artifacts/published.json"],
        ["Deploy"] = ["artifacts/published.json"],
    };
    private static readonly Dictionary<string, string[]> Writes = new()
    {
        ["artifacts/images.json"] = ["Images"],
        ["artifacts/published.json"] = ["Publish", "Promote"],
    };
    /// <summary>Targets that need the images in the job's own Docker engine.</summary>
    private static readonly string[] EngineReaders = ["ClusterTest", "Publish"];

    public static TheoryData<string> Workflows => new() { "pipeline.yml", "nightly.yml" };

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Every_job_is_handed_every_input_its_targets_read(string file)
    {
        var build = WorkflowTestSupport.RealBuild();

        Missing(Render(build, file), build, file).Should().BeEmpty();
    }

    [Fact]
    public void A_cluster_test_job_not_given_the_images_is_one_line()
    {
        var build = WorkflowTestSupport.RealBuild();
        var yaml = Render(build, "pipeline.yml");
        var download =
            "      - name: Download the images (archives named by input hash)\n        uses: actions/download-artifact@v4\n        "
            + "with:\n          name: images\n          path: artifacts/ci-images\n";
        var clusterTest = yaml.IndexOf("  cluster-test:\n", StringComparison.Ordinal);
        var at = yaml.IndexOf(download, clusterTest, StringComparison.Ordinal);
        at.Should().BePositive();

        Missing(yaml.Remove(at, download.Length), build, "pipeline.yml").Should().Equal(
            "pipeline.yml job cluster-test: ClusterTest needs the images in its engine, but the job downloads no 'images' artifact");
    }

    [Fact]
    public void A_publish_job_not_given_its_registry_token_is_one_line()
    {
        var build = WorkflowTestSupport.RealBuild();
        var yaml = Render(build, "pipeline.yml");
        var token = "          GHCR_TOKEN: ${{ secrets.GHCR_TOKEN }}\n";
        var publish = yaml.IndexOf("  publish:\n", StringComparison.Ordinal);
        var at = yaml.IndexOf(token, publish, StringComparison.Ordinal);

        Missing(yaml.Remove(at, token.Length), build, "pipeline.yml").Should().Equal(
            "pipeline.yml job publish: LoadImageArchives, Publish read GHCR_TOKEN, which the job is not given");
    }

    [Fact]
    public void A_production_job_without_the_artifacts_of_staging_has_no_digests_to_promote()
    {
        var build = WorkflowTestSupport.RealBuild();
        var yaml = Render(build, "pipeline.yml");
        var pattern = "          pattern: artifacts-{tests,images,cluster-test,publish,deploy-staging}\n";
        yaml.Should().Contain(pattern);

        Missing(yaml.Replace(pattern, "          pattern: artifacts-{tests,images,cluster-test}\n"), build, "pipeline.yml").Should().Equal(
            "pipeline.yml job deploy-production: Promote reads artifacts/published.json, which no job it takes artifacts from writes");
    }

    private static string Render(Build build, string file) => build.RenderWorkflows().Single(f => f.FileName == file).Content;

    internal static IReadOnlyList<string> Missing(string yaml, Build build, string file)
    {
        var jobs = LeastPrivilegeTests.Jobs(yaml).ToDictionary(j => j.Id, j => j.Job);
        var problems = new List<string>();
        foreach (var (id, job) in jobs)
        {
            var steps = WorkflowTestSupport.Steps(job);
            var command = WorkflowTestSupport.Command(job);
            var runs = WorkflowTestSupport.RunTargets(job, build);
            var upstream = Upstream(id, jobs);
            var received = steps
                .Where(s =>
                    WorkflowTestSupport.Get(s, "uses") == "actions/download-artifact@v4"
                    && s["with"] is YamlMappingNode w
                    && WorkflowTestSupport.Get(w, "pattern") is not null
                )
                .SelectMany(s => Expand(WorkflowTestSupport.Get((YamlMappingNode)s["with"], "pattern")!))
                .Where(upstream.Contains)
                .ToHashSet();

            var missingFile = runs.SelectMany(t => (Reads.GetValueOrDefault(t) ?? []).Select(f => (Target: t, File: f)))
                .FirstOrDefault(r =>
                    !Writes[r.File].Any(w => runs.Contains(w) && runs.ToList().IndexOf(w) < runs.ToList().IndexOf(r.Target))
                    && !received.Any(u => WorkflowTestSupport.RunTargets(jobs[u], build).Intersect(Writes[r.File]).Any())
                );
            if (missingFile.File is not null)
                problems.Add(
                    $"{file} job {id}: {missingFile.Target} reads {missingFile.File}, which no job it takes artifacts from writes"
                );

            var imagesGiven =
                steps.Any(s =>
                    WorkflowTestSupport.Get(s, "uses") == "actions/download-artifact@v4"
                    && WorkflowTestSupport.Get((YamlMappingNode)s["with"], "name") == "images"
                )
                && WorkflowTestSupport.Targets(command).FirstOrDefault() == "LoadImageArchives";
            if (!runs.Contains("Images") && runs.FirstOrDefault(EngineReaders.Contains) is { } reader && !imagesGiven)
                problems.Add($"{file} job {id}: {reader} needs the images in its engine, but the job downloads no 'images' artifact");

            var run = steps.Single(s => WorkflowTestSupport.Get(s, "id") == "targets");
            var given = (
                run.Children.TryGetValue(new YamlScalarNode("env"), out var env)
                    ? ((YamlMappingNode)env).Children.Keys.Select(k => k.ToString())
                    : []
            )
                .Concat(
                    steps
                        .Where(s =>
                            WorkflowTestSupport.Get(s, "run")?.Contains(">> \"$GITHUB_ENV\"") == true
                            && s.Children.ContainsKey(new YamlScalarNode("env"))
                        )
                        .SelectMany(s => ((YamlMappingNode)s["env"]).Children.Keys.Select(k => k.ToString()))
                )
                .ToHashSet();
            var hashes = steps.FirstOrDefault(s => WorkflowTestSupport.Get(s, "id") == "hashes");
            if (hashes?.Children.TryGetValue(new YamlScalarNode("env"), out var hashesEnv) == true)
                given.UnionWith(((YamlMappingNode)hashesEnv).Children.Keys.Select(k => k.ToString()));
            foreach (
                var secret in LeastPrivilegeTests
                    .DeclaredSecrets(command, runs)
                    .Order(StringComparer.Ordinal)
                    .Where(s => !given.Contains(s))
            )
                problems.Add(
                    $"{file} job {id}: {string.Join(", ", WorkflowTestSupport.Targets(command))} read {secret}, which the job is not given"
                );
            if (runs.Contains("Deploy") && WorkflowTestSupport.EnvironmentOf(command) is { } environment)
            {
                var text = File.ReadAllText(WorkflowTestSupport.RepositoryRoot() / "environments" / $"{environment}.yml");
                if (
                    text.Contains("\nci:")
                    && text.Contains("provider: aws-asg")
                    && !steps.Any(s => WorkflowTestSupport.Get(s, "uses")?.StartsWith("aws-actions/configure-aws-credentials") == true)
                )
                    problems.Add(
                        $"{file} job {id}: Deploy reaches AWS through the role environments/{environment}.yml names, but the job assumes "
                        + $"no role"
                    );
                if (text.Contains("\nci:") && text.Contains("provider: gcp-mig") && !given.Contains("GCP_ACCESS_TOKEN"))
                    problems.Add($"{file} job {id}: Deploy reaches GCP with GCP_ACCESS_TOKEN, which the job is not given");
            }
        }
        return problems;
    }

    private static IEnumerable<string> Expand(string pattern) =>
        pattern.StartsWith("artifacts-{") ? pattern["artifacts-{".Length..^1].Split(',') : [pattern["artifacts-".Length..]];

    private static HashSet<string> Upstream(string id, Dictionary<string, YamlMappingNode> jobs)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>(WorkflowTestSupport.Needs(jobs[id]));
        while (stack.TryPop(out var next))
            if (seen.Add(next)) foreach (var n in WorkflowTestSupport.Needs(jobs[next])) stack.Push(n);
        return seen;
    }
}
