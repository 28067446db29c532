using FluentAssertions;
using Pipeline.Engine.Parameters;
using Xunit;

namespace Pipeline.Tests.CI;

public class GeneratedWorkflowTests
{
    [Fact]
    public void No_secret_value_reaches_a_generated_file_only_references_to_GitHub_secrets()
    {
        var build = WorkflowTestSupport.RealBuild();
        var secrets = ParameterInfo.Discover(typeof(Build)).Where(p => p.IsSecret).ToList();
        secrets.Should().NotBeEmpty();
        foreach (var secret in secrets)
            secret.SetValue(build, secret.Type == typeof(string) ? $"canary-{secret.Name}-s3cr3t" : null);

        foreach (var (file, content) in build.RenderWorkflows())
        {
            content.Should().NotContain("s3cr3t", $"{file} must hold no secret value");
            foreach (var secret in secrets)
                foreach (var line in content.Split('\n').Where(l => l.TrimStart().StartsWith(secret.EnvironmentVariable + ":")))
                    line.Trim().Should().Be($"{secret.EnvironmentVariable}: ${{{{ secrets.{secret.EnvironmentVariable} }}}}");
        }
    }

    [Fact]
    public void Deploy_jobs_run_behind_their_environment_one_at_a_time_with_deployment_permissions()
    {
        var yaml = WorkflowTestSupport.RealBuild().RenderWorkflows().Single(f => f.FileName == "pipeline.yml").Content;
        var production = (YamlDotNet.RepresentationModel.YamlMappingNode)
            WorkflowTestSupport.Jobs(WorkflowTestSupport.Parse(yaml))["deploy-production"];

        production["environment"].ToString().Should().Be("production");
        production["concurrency"]["group"].ToString().Should().Be("deploy-production");
        production["concurrency"]["cancel-in-progress"].ToString().Should().Be("false");
        production["permissions"]["deployments"].ToString().Should().Be("write");
        production["permissions"]
            ["id-token"]
            .ToString()
            .Should()
            .Be("write", "production federates with AWS and GCP (environments/production.yml ci:)");
        ((YamlDotNet.RepresentationModel.YamlMappingNode)WorkflowTestSupport.Parse(yaml)["permissions"])
            .Children.Should()
            .BeEmpty("each job names its own scopes");
    }

    [Fact]
    public void The_nightly_workflow_runs_the_cluster_test_and_backup_check_on_a_schedule_and_reports_failures()
    {
        var yaml = WorkflowTestSupport.RealBuild().RenderWorkflows().Single(f => f.FileName == "nightly.yml").Content;
        var workflow = WorkflowTestSupport.Parse(yaml);
        var jobs = WorkflowTestSupport.Jobs(workflow);

        workflow["on"]["schedule"][0]["cron"].ToString().Should().MatchRegex(@"^\S+ \S+ \* \* \*$");
        WorkflowTestSupport
            .Targets(WorkflowTestSupport.Command((YamlDotNet.RepresentationModel.YamlMappingNode)jobs["cluster-test"]))
            .Should()
            .EndWith("ClusterTest");
        WorkflowTestSupport
            .Command((YamlDotNet.RepresentationModel.YamlMappingNode)jobs["verify-backups"])
            .Should()
            .StartWith("./build.sh VerifyBackups");
        jobs["report"]["if"].ToString().Should().Be("failure()");
        WorkflowTestSupport
            .Needs((YamlDotNet.RepresentationModel.YamlMappingNode)jobs["report"])
            .Should()
            .BeEquivalentTo("cluster-test", "verify-backups", "restore-drill");
        WorkflowTestSupport
            .Command((YamlDotNet.RepresentationModel.YamlMappingNode)jobs["restore-drill"])
            .Should()
            .StartWith("./build.sh RestoreDrill");

        // On a fresh runner the cluster test bakes only what the per-image caches do not hold.
        var clusterTest = (YamlDotNet.RepresentationModel.YamlMappingNode)jobs["cluster-test"];
        WorkflowTestSupport.Command(clusterTest).Should().Be("./build.sh LoadImageArchives Images SaveImageArchives ClusterTest --skip");
        WorkflowTestSupport.Steps(clusterTest).Should().Contain(s => WorkflowTestSupport.Get(s, "id") == "hashes");
        var report = WorkflowTestSupport
            .Steps((YamlDotNet.RepresentationModel.YamlMappingNode)jobs["report"])
            .Single(s => WorkflowTestSupport.Get(s, "id") == "targets");
        report["env"]["SLACK_WEBHOOK"].ToString().Should().Be("${{ secrets.SLACK_WEBHOOK }}");
        report["env"]
            ["NOTIFY_MESSAGE"]
            .ToString()
            .Should()
            .EndWith(
                "${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}",
                "the message links to the failed run"
            );
        jobs["verify-backups"]["environment"].ToString().Should().Be("production-backups", "a nightly run waits for no reviewer");
    }
}
