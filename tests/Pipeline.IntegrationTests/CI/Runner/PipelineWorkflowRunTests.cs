using FluentAssertions;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// The committed pipeline.yml run job by job by the local runner, each job on a fresh machine with its own Docker engine,
/// given only what the workflow hands it (the first run is the fixture's: a push to main, on an empty cache).
/// </summary>
[Collection(WorkflowRunnerCollection.Name)]
public sealed class PipelineWorkflowRunTests(WorkflowRunnerFixture fixture)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly string[] Images = ["base", "haproxy", "heartbeat"];

    private static readonly Dictionary<string, string> EveryJobPassed = new()
    {
        ["tests"] = "success",
        ["images"] = "success",
        ["cluster-test"] = "success",
        ["publish"] = "success",
        ["deploy-staging"] = "success",
        ["deploy-production"] = "success",
    };

    [Fact]
    public void A_push_to_main_bakes_in_the_images_job_and_every_later_job_passes_on_its_own_machine_with_those_images()
    {
        var results = fixture.First;

        results.ToDictionary(r => r.Key, r => r.Value.Result).Should()
            .Equal(EveryJobPassed, string.Join("\n", results.Values.Select(r => r.Log)));
        var images = results["images"].Log;
        images.Should().Contain("debootstrap bookworm", "the steps' user (not root, as on a hosted runner) made the base through sudo");
        foreach (var image in Images) images.Should().MatchRegex($"Cache saved with key: image-{image}-[0-9a-f]{{64}}");
        images.Should().Contain("Artifact images has been successfully uploaded");
        var clusterTest = results["cluster-test"].Log;
        clusterTest.Should().Contain("Loaded 3 image archive(s)").And.NotContain(": baking ").And.NotContain("[Images]");
        clusterTest.Should().Contain("Build succeeded.");
        fixture.GitHub.Accepted.Should()
            .Contain(a => a.Path.Contains("/statuses/" + fixture.Commit), "the cluster test reports its status");
    }

    [Fact]
    public async Task A_second_run_with_unchanged_inputs_bakes_nothing_and_the_cache_hits_are_in_the_images_jobs_log()
    {
        var results = await fixture.DispatchToProductionAsync();

        results["images"].Result.Should().Be("success", results["images"].Log);
        var log = results["images"].Log;
        foreach (var image in Images) log.Should().MatchRegex($"Cache restored from key: image-{image}-[0-9a-f]{{64}}");
        log.Should().Contain("Loaded 3 image archive(s)").And.Contain("0 built, 3 up to date").And.NotContain(": baking ");
        log.Should().NotContain("Cache saved with key: image-", "an entry that was restored is not saved again");
        results["cluster-test"].Result.Should().Be("success", results["cluster-test"].Log);
    }

    [Fact]
    public async Task A_publish_job_pushes_the_images_jobs_images_to_ghcr_by_its_public_name_with_the_staging_token()
    {
        var results = fixture.First;

        results["tests"].Result.Should().Be("success", results["tests"].Log);
        results["cluster-test"].Result.Should().Be("success", results["cluster-test"].Log);
        results["publish"].Result.Should().Be("success", results["publish"].Log);
        var log = results["publish"].Log;
        log.Should().Contain("Loaded 3 image archive(s)").And.NotContain(": baking ").And.NotContain("[Images]");
        log.Should().MatchRegex(@"Wrote artifacts/published\.json \([1-9]\d* entries\)");
        (await fixture.Ghcr.TagsAsync("acme/pipeline/heartbeat", Ct)).Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_push_deploys_the_published_digest_to_both_staging_ssh_hosts_behind_haproxy()
    {
        var results = fixture.First;

        results["deploy-staging"].Result.Should().Be("success", results["deploy-staging"].Log);
        var servers = await fixture.Staging.RuntimeAsync("show servers state web", Ct);
        foreach (var instance in new[] { "web-1", "web-2", "web-3", "web-4" }) servers.Should().Contain($" {instance} ");
        foreach (var host in fixture.Staging.Hosts)
        {
            var containers = await CliWrap.Cli.Wrap("docker")
                .WithArguments(["-H", host.DockerHost, "ps", "--format", "{{.Label \"pipeline.image\"}}"]).RunBufferedAsync(Ct);
            containers.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Should().HaveCount(2, "two of web's four run on each host")
                .And.AllSatisfy(image => image.Should().MatchRegex(@"^ghcr\.io/acme/pipeline/heartbeat@sha256:[0-9a-f]{64}$"));
        }
    }

    [Fact]
    public async Task A_push_promotes_stagings_digests_to_ECR_and_rolls_productions_AWS_and_GCP_groups_with_the_OIDC_credentials()
    {
        var results = fixture.First;
        var production = fixture.Production;

        var log = results["deploy-production"].Log;
        results["deploy-production"].Result.Should().Be("success", log);
        log.Should().Contain("Assumed role arn:aws:iam::123456789012:role/pipeline-deploy").And.NotContain(": baking ");
        (await production.Ecr.TagsAsync("pipeline/heartbeat", Ct)).Should().NotBeEmpty("Promote copied staging's digest");
        production.Aws.Calls.Should().NotBeEmpty().And.OnlyContain(c => c.Accepted, "every call is signed with the role's token");
        production.Aws.GroupVersion.Should().Be(production.Aws.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        production.Aws.UserData(production.Aws.LatestVersion).Should()
            .Contain(ProductionCloudStandIn.EcrAddress + "/pipeline/heartbeat@sha256:", "the group runs the digest Promote copied");
        production.Aws.DesiredCapacity.Should().Be(6, "production.yml's api count");
        production.Gcp.Calls.Should().NotBeEmpty().And.OnlyContain(c => c.Accepted);
        production.Gcp.TemplateName.Should().NotBe("heartbeat-edge-000000000000", "the MIG rolled to a new template");
        production.Route53.Calls.Should().NotBeEmpty().And.OnlyContain(c => c.Accepted);
        production.Route53.Sets().Should().Contain(r => r.StartsWith("CNAME api.example.com. 60 heartbeat-api-", StringComparison.Ordinal))
            .And.Contain(r => r.StartsWith("TXT _pipeline.api.example.com.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dispatch_to_production_after_the_push_passes_every_job_and_changes_nothing_in_the_clouds()
    {
        var before = fixture.Production.Aws.Calls.Count(c => c.Action == "StartInstanceRefresh");
        var results = await fixture.DispatchToProductionAsync();

        results.ToDictionary(r => r.Key, r => r.Value.Result).Should()
            .Equal(EveryJobPassed, string.Join("\n", results.Values.Select(r => r.Log)));
        results["deploy-production"].Log.Should().Contain("already runs");
        fixture.Production.Aws.Calls.Count(c => c.Action == "StartInstanceRefresh").Should().Be(before, "the same digest is deployed");
    }

    [Fact]
    public async Task A_cluster_test_job_not_handed_the_images_fails_with_one_line_naming_the_missing_image()
    {
        var text = File.ReadAllText(WorkflowRunnerFixture.WorkflowPath("pipeline.yml"));
        var download = "      - name: Download the images (archives named by input hash)\n        uses: actions/download-artifact@v4\n"
            + "        with:\n          name: images\n          path: artifacts/ci-images\n";
        var at = text.IndexOf(download, text.IndexOf("  cluster-test:\n", StringComparison.Ordinal), StringComparison.Ordinal);
        at.Should().BePositive();
        var path = Path.Combine(fixture.Root, "pipeline-without-images.yml");
        File.WriteAllText(path, text.Remove(at, download.Length));

        var trigger = RunnerEvent.Dispatch(("targets", "ClusterTest"));
        var results = await fixture.Runner.RunAsync(Workflow.Load(path), trigger, fixture.Commit, Ct);

        results["images"].Result.Should().Be("success");
        results["cluster-test"].Result.Should().Be("failure");
        var log = results["cluster-test"].Log;
        log.Split('\n').Should().ContainSingle(l => l.StartsWith("::error::"), log).Which.Should()
            .MatchRegex(@"^::error::Image '\w+' \(input hash [0-9a-f]+\) is neither in the engine nor in artifacts/ci-images/: give");
    }
}
