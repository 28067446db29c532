using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Deploying.Definitions;
using Xunit;

namespace Pipeline.Tests.Deploying;

public class DeployDefinitionTests
{
    private const string Minimal = """
        groups:
          web:
            provider: docker
            image: heartbeat
            count: 3
            rolling:
              batch: {0}
        """;

    private static EnvironmentDeployment Parse(string yaml, string file = "environments/staging.yml") =>
        EnvironmentDeployment.Parse(yaml, file, "staging", _ => null);

    [Fact]
    public void A_batch_of_zero_is_rejected_with_its_key_path()
    {
        var act = () => Parse(string.Format(Minimal, "0"));
        act.Should().Throw<DefinitionException>().WithMessage("environments/staging.yml: groups/web/rolling/batch: must be at least 1*");
    }

    [Fact]
    public void A_batch_may_be_a_percentage_of_the_group()
    {
        var group = Parse(string.Format(Minimal, "50%")).Groups.Single();
        group.Rolling.Batch.Should().Be(new BatchSize(50, true));
        group.Rolling.Batch.For(3).Should().Be(2);
    }

    [Fact]
    public void An_unknown_key_is_rejected_with_a_suggestion()
    {
        var act = () => Parse("groups:\n  web:\n    provider: docker\n    image: heartbeat\n    count: 1\n    helth: {}\n");
        act.Should().Throw<DefinitionException>().WithMessage("*groups/web/helth: unknown key. Did you mean 'health'?*");
    }

    [Fact]
    public void An_ssh_group_must_pin_host_keys_in_a_known_hosts_file()
    {
        var act = () =>
            Parse("groups:\n  web:\n    provider: ssh\n    image: heartbeat\n    count: 1\n    ssh:\n      hosts: [10.0.0.1]\n");
        act.Should().Throw<DefinitionException>().WithMessage("*groups/web/ssh: 'known_hosts' is missing*");
    }

    [Fact]
    public void An_ssh_group_may_reach_its_hosts_through_a_jump_host_checked_when_the_file_loads()
    {
        const string ssh =
            "groups:\n  web:\n    provider: ssh\n    image: heartbeat\n    count: 1\n    ssh:\n      hosts: [10.0.0.1]\n      "
            + "known_hosts: k\n      jump: {0}\n";

        Parse(string.Format(ssh, "bastion.example.test:2222"))
            .Groups.Single()
            .Ssh!.Jump.Should()
            .Be(new Pipeline.Tools.Ssh.SshEndpoint("bastion.example.test", "deploy", 2222));
        Parse(string.Format(ssh, "ops@[2001:db8::1]"))
            .Groups.Single()
            .Ssh!.Jump.Should()
            .Be(new Pipeline.Tools.Ssh.SshEndpoint("2001:db8::1", "ops", 22));
        var act = () => Parse(string.Format(ssh, "ops@bastion:0"));
        act.Should().Throw<DefinitionException>().WithMessage("*groups/web/ssh/jump: 'ops@bastion:0' is not a jump host*");
    }

    [Fact]
    public void A_load_balancer_needs_exactly_one_runtime_api_endpoint()
    {
        var act = () =>
            Parse(
                "groups:\n  web:\n    provider: docker\n    image: heartbeat\n    count: 1\n    load_balancer:\n      haproxy:\n        "
                + "backend: web\n"
            );
        act.Should().Throw<DefinitionException>().WithMessage("*groups/web/load_balancer/haproxy: give exactly one of 'socket'*");
    }

    [Fact]
    public void The_effective_batch_keeps_min_healthy_percent_in_service()
    {
        var policy = RollingPolicy.Default with { Batch = new BatchSize(4, false), MinHealthyPercent = 60 };
        policy.EffectiveBatch(6).Should().Be(2, "60% of 6 rounds up to 4 that must stay in service");
        (policy with { MinHealthyPercent = 0 }).EffectiveBatch(6).Should().Be(4);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("staging")]
    [InlineData("production")]
    public void The_shipped_environment_files_are_valid(string environment)
    {
        var root = FindRoot();
        var loaded = EnvironmentDeployment.Load(
            Path.Combine(root, "environments", $"{environment}.yml"),
            $"environments/{environment}.yml",
            environment,
            _ => null
        );
        loaded.Groups.Should().NotBeEmpty();
    }

    [Fact]
    public void Images_resolve_to_digests_and_tags_are_refused()
    {
        var artifacts = Directory.CreateTempSubdirectory("deploy-images-").FullName;
        File.WriteAllText(Path.Combine(artifacts, "published.json"),
            """{"environment":"local","images":[{"name":"heartbeat","reference":"127.0.0.1:21500/pipeline/heartbeat@sha256:abcd"}]}""");
        var group = Parse(string.Format(Minimal, "1")).Groups.Single();
        new ImageResolver(new(artifacts)).Resolve(group).Should().Be("127.0.0.1:21500/pipeline/heartbeat@sha256:abcd");
        var act = () => new ImageResolver(new(artifacts)).Resolve(group with { Image = "heartbeat:latest" });
        act.Should().Throw<Pipeline.Engine.UsageException>().WithMessage("*is a tag*");
    }

    internal static string FindRoot()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "Pipeline.sln"))) directory = Path.GetDirectoryName(directory)!;
        return directory;
    }
}
