using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Deploying.Cloud;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Rolling;
using Xunit;

namespace Pipeline.Tests.Deploying.Cloud;

/// <summary>aws-asg and gcp-mig groups: what they read, what they refuse by key, and the pure builders of their requests.</summary>
public class CloudGroupDefinitionTests
{
    private static GroupDefinition Parse(string provider, string extra) =>
        EnvironmentDeployment
            .Parse(
                $"""
                groups:
                  api:
                    provider: {provider}
                    aws: {(provider == "aws-asg" ? "{ region: eu-west-1, auto_scaling_group: a, launch_template: t }" : "null")}
                    gcp: {(provider == "gcp-mig" ? "{ project: p, zone: europe-west1-b, instance_group_manager: m }" : "null")}
                    image: heartbeat
                    count: 4
                {extra}
                """.Replace("    aws: null\n", "").Replace("    gcp: null\n", ""),
                "environments/staging.yml",
                "staging",
                _ => null
            )
            .Groups.Single();

    [Theory]
    [InlineData("aws-asg", "    secret_env: { TOKEN: x }", "groups/api/secret_env: not supported here: aws-asg user data is readable*")]
    [InlineData("aws-asg", "    ports: { container: 8080, host_base: 30000 }", "groups/api/ports/host_base: not supported here*")]
    [InlineData(
        "gcp-mig",
        "    load_balancer: { haproxy: { address: '127.0.0.1:1', backend: web } }",
        "groups/api/load_balancer: not supported here*"
    )]
    [InlineData("gcp-mig", "    outputs: { host_audit_log: /var/log/x }", "groups/api/outputs/host_audit_log: not supported here*")]
    [InlineData("gcp-mig", "    health: { path: /heartbeat }", "groups/api/health/path: not supported here*")]
    [InlineData("gcp-mig", "    rolling: { warmup: 30s }", "groups/api/rolling/warmup: not supported here: Compute Engine v1*")]
    [InlineData(
        "aws-asg",
        "    rolling: { bake: 5m }",
        "groups/api/rolling/bake: not supported here: an aws-asg refresh waits rolling/bake at each of aws/checkpoints*"
    )]
    [InlineData("aws-asg", "    rolling: { drain_timeout: 5s }", "groups/api/rolling/drain_timeout: not supported here*")]
    public void A_setting_a_cloud_group_cannot_honour_is_refused_by_its_key(string provider, string extra, string message)
    {
        var act = () => Parse(provider, extra);
        act.Should().Throw<DefinitionException>().WithMessage($"environments/staging.yml: {message}");
    }

    [Fact]
    public void A_gcp_group_reads_its_template_settings_with_container_optimized_os_by_default()
    {
        var gcp = Parse("gcp-mig", "").Gcp!;
        gcp.ImageFamily.Should().Be("cos-stable");
        gcp.ImageProject.Should().Be("cos-cloud");
        gcp.Network.Should().Be("default");
        gcp.ServiceAccount.Should().Be("default");
        gcp.Scopes.Should().Equal("https://www.googleapis.com/auth/cloud-platform");
    }

    [Fact]
    public void The_update_budget_keeps_min_healthy_percent_and_max_unavailable()
    {
        var group = Parse("aws-asg", "    rolling: { batch: 50%, min_healthy_percent: 50 }");
        UpdateBudget.For(group, new()).Should().Be(new UpdateBudget(4, 0, 2));
        UpdateBudget.For(group, new()).MinHealthyPercent.Should().Be(50);
        UpdateBudget.For(group, new RolloutOptions(MaxUnavailable: 1)).MinHealthyPercent.Should().Be(75);
        var surge = Parse("gcp-mig", "    rolling: { max_surge: 2 }");
        UpdateBudget.For(surge, new()).Should().Be(new UpdateBudget(4, 2, 0));
        UpdateBudget.For(surge, new()).MaxHealthyPercent.Should().Be(150);
    }

    [Fact]
    public void Aws_user_data_logs_in_to_ecr_before_pulling_an_ecr_image_and_not_otherwise()
    {
        var group = Parse("aws-asg", "");
        var ecr = AwsUserData.Script(group, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/heartbeat@sha256:ab");
        ecr.IndexOf(
                "aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin "
                + "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
                StringComparison.Ordinal
            )
            .Should()
            .BeGreaterThan(0)
            .And.BeLessThan(ecr.IndexOf("docker pull", StringComparison.Ordinal));
        AwsUserData.ImageOf(ecr).Should().Be("123456789012.dkr.ecr.eu-west-1.amazonaws.com/heartbeat@sha256:ab");
        AwsUserData.Script(group, "ghcr.io/acme/heartbeat@sha256:ab").Should().NotContain("ecr");
    }

    [Fact]
    public void The_refresh_names_the_alarms_and_asks_aws_to_roll_back_only_when_it_can()
    {
        var group = Parse("aws-asg", "").WithAlarms("api-5xx");
        var withRollback = AwsRefreshRequest.Start(group, "7", UpdateBudget.For(group, new()), autoRollback: true);
        withRollback.Should().Contain(new KeyValuePair<string, string>("Preferences.AutoRollback", "true"))
            .And.Contain(new KeyValuePair<string, string>("Preferences.AlarmSpecification.Alarms.member.1", "api-5xx"))
            .And.Contain(new KeyValuePair<string, string>("DesiredConfiguration.LaunchTemplate.Version", "7"));
        AwsRefreshRequest.Start(group, "7", UpdateBudget.For(group, new()), autoRollback: false)
            .Should().Contain(new KeyValuePair<string, string>("Preferences.AutoRollback", "false"));
    }

    [Fact]
    public void A_gcp_template_is_named_by_its_content_and_keeps_secret_env_out_of_the_startup_script()
    {
        var group = Parse("gcp-mig", "    env: { A: b }\n    secret_env: { TOKEN: hush }");
        var resource = GcpTemplate.Resource(group, "europe-docker.pkg.dev/p/r/heartbeat@sha256:ab");
        resource["name"]!.GetValue<string>().Should().MatchRegex("^m-[0-9a-f]{12}$");
        GcpTemplate
            .Name(group with { Env = new Dictionary<string, string> { ["A"] = "c" } }, "europe-docker.pkg.dev/p/r/heartbeat@sha256:ab")
            .Should()
            .NotBe(resource["name"]!.GetValue<string>());
        GcpTemplate.Metadata(resource, "startup-script").Should().Contain("-e A=b").And.NotContain("hush");
        GcpTemplate.Metadata(resource, GcpTemplate.SecretEnvKey).Should().Be("TOKEN=hush\n");
    }
}

internal static class GroupDefinitionExtensions
{
    public static GroupDefinition WithAlarms(this GroupDefinition group, params string[] alarms) =>
        group with
        {
            Aws = group.Aws! with { Alarms = alarms },
        };
}
