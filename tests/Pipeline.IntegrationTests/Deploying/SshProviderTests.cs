using FluentAssertions;
using Pipeline.Deploying;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Providers;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>The ssh provider against a real sshd on 127.0.0.1:25322–25324 with pinned host keys. Instances on 25330+ and 25350+.</summary>
[Collection(DeployCollection.Name)]
public sealed class SshProviderTests(DeployFixture fixture)
{
    private const int SshPort = 25322;

    /// <summary>The group on <paramref name="sshd"/> (its own port), pinned by <paramref name="knownHosts"/>.</summary>
    private static EnvironmentDeployment Environment(SshdHost sshd, string root, string name, string image, string knownHosts) =>
        EnvironmentDeployment.Parse($"""
            lock:
              directory: {root}/host-locks
            groups:
              web:
                provider: ssh
                ssh: {sshd.GroupSsh(knownHosts)}
                image: {image}
                count: 2
                ports:
                  container: 8080
                  host_base: 25330
                health:
                  path: /heartbeat
                  interval: 200ms
                  start_timeout: 20s
                rolling:
                  batch: 1
                  min_healthy_percent: 50
                  stop_timeout: 5s
                outputs:
                  host_audit_log: {root}/host-log/deploy.log
            """, $"environments/{name}.yml", name, _ => null);

    [Fact]
    public async Task The_ssh_provider_rolls_a_group_over_a_real_sshd_with_a_pinned_host_key()
    {
        await using var sshd = await SshdHost.StartAsync(SshPort);
        var root = Directory.CreateTempSubdirectory("test-deploy-ssh-").FullName;
        const string name = "test-deploy-ssh";
        try
        {
            var first = await new Deployment(
                DeployLayouts.In(root),
                Environment(sshd, root, name, fixture.V1, sshd.PinnedKnownHosts)
            ).DeployAsync(new DeployRequest(TimeSpan.Zero, new RolloutOptions()), CancellationToken.None);
            first.Single().Succeeded.Should().BeTrue(first.Single().Message);
            var second = await new Deployment(
                DeployLayouts.In(root),
                Environment(sshd, root, name, fixture.V2, sshd.PinnedKnownHosts)
            ).DeployAsync(new DeployRequest(TimeSpan.Zero, new RolloutOptions()), CancellationToken.None);
            second.Single().Succeeded.Should().BeTrue(second.Single().Message);

            var containers = await fixture.Docker.ListContainersAsync(
                [$"{DockerProvider.EnvironmentLabel}={name}"],
                CancellationToken.None
            );
            containers.Should().HaveCount(2).And.OnlyContain(c => c.Labels!["pipeline.image"] == fixture.V2 && c.State == "running");
            File.ReadAllLines(Path.Combine(root, "host-log", "deploy.log"))
                .Should()
                .HaveCount(2, "each deploy appends its audit record on the host");
            File.ReadAllText(sshd.PinnedKnownHosts)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Should()
                .HaveCount(1, "nothing is ever added to the pinned file");
            File.Exists(Path.Combine(root, $"host-locks/{name}.deploy.lock")).Should().BeFalse("the lock on the host is released");
        }
        finally
        {
            foreach (
                var c in await fixture.Docker.ListContainersAsync([$"{DockerProvider.EnvironmentLabel}={name}"], CancellationToken.None)
            )
                await fixture.Docker.RemoveContainerAsync(c.Id, CancellationToken.None);
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task The_ssh_provider_surges_new_instances_onto_spare_ports_beside_the_old_ones()
    {
        await using var sshd = await SshdHost.StartAsync(SshPort + 2);
        var root = Directory.CreateTempSubdirectory("test-deploy-ssh-").FullName;
        const string name = "test-deploy-sshsurge";
        EnvironmentDeployment Surging(string image)
        {
            var e = Environment(sshd, root, name, image, sshd.PinnedKnownHosts);
            var g = e.Groups[0];
            return e with
            {
                Groups =
                [
                    g with
                    {
                        Ports = g.Ports with { HostBase = 25350 },
                        Rolling = g.Rolling with { MaxSurge = 1 },
                    },
                ],
            };
        }
        try
        {
            foreach (var image in new[] { fixture.V1, fixture.V2 })
            {
                var outcome = (
                    await new Deployment(DeployLayouts.In(root), Surging(image)).DeployAsync(
                        new DeployRequest(TimeSpan.Zero, new RolloutOptions()),
                        CancellationToken.None
                    )
                ).Single();
                outcome.Succeeded.Should().BeTrue(outcome.Message);
            }
            var containers = await fixture.Docker.ListContainersAsync(
                [$"{DockerProvider.EnvironmentLabel}={name}"],
                CancellationToken.None
            );
            containers.Should().HaveCount(2).And.OnlyContain(c => c.Labels!["pipeline.image"] == fixture.V2 && c.State == "running");
            containers
                .Select(c => c.Labels!["pipeline.slot"])
                .Should()
                .BeEquivalentTo(["1", "3"], "web-3 (port 25352) surged in beside web-1, then web-1 beside web-2");
        }
        finally
        {
            foreach (
                var c in await fixture.Docker.ListContainersAsync([$"{DockerProvider.EnvironmentLabel}={name}"], CancellationToken.None)
            )
                await fixture.Docker.RemoveContainerAsync(c.Id, CancellationToken.None);
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(false, "is not the key pinned (changed) in")]
    [InlineData(true, "is not pinned (unknown host) in")]
    public async Task A_changed_or_unknown_host_key_is_refused_with_its_fingerprint_and_never_added(bool unknown, string reason)
    {
        await using var sshd = await SshdHost.StartAsync(SshPort + 1);
        var root = Directory.CreateTempSubdirectory("test-deploy-ssh-").FullName;
        var knownHosts = unknown ? sshd.UnknownKnownHosts : sshd.WrongKnownHosts;
        var before = File.ReadAllText(knownHosts);
        var yaml = Environment(sshd, root, "test-deploy-sshkey", fixture.V1, knownHosts);
        var blob = Convert.FromBase64String(File.ReadAllText(Path.Combine(sshd.Directory, "host_ed25519.pub")).Split(' ')[1]);
        var fingerprint = "SHA256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(blob)).TrimEnd('=');

        var plan = () => new Deployment(DeployLayouts.In(root), yaml).PlanAsync(CancellationToken.None);

        (await plan.Should().ThrowAsync<PipelineException>())
            .Which.Message.Should()
            .Be(
                $"ssh root@127.0.0.1:{SshPort + 1}: host key ssh-ed25519 {fingerprint} {reason} {knownHosts}; refused and not added. "
                    + $"Check that fingerprint out of band (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host), then pin the key "
                        + $"there as '[127.0.0.1]:{SshPort + 1} ssh-ed25519 …'."
            );
        File.ReadAllText(knownHosts).Should().Be(before);
        Directory.Delete(root, recursive: true);
    }
}
