using FluentAssertions;
using Pipeline.Benchmarks;
using Pipeline.Deploying;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Providers;
using Pipeline.Deploying.Rolling;
using Pipeline.Publishing;
using System.Security.Cryptography;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// Registry-less delivery: an image saved as a tar (as Publish does without a registry) reaches an ssh host through a
/// real sshd on 127.0.0.1:25325 (the host's Docker is this machine's engine) with docker load. Instances on 25340+.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class SshSavedImageTests(DeployFixture fixture)
{
    private const int SshPort = 25325;
    private const string Name = "test-deploy-sshtar";

    private static EnvironmentDeployment Environment(SshdHost sshd, string root, int count) =>
        EnvironmentDeployment.Parse($$"""
            lock:
              directory: {{root}}/host-locks
            groups:
              web:
                provider: ssh
                ssh: {{sshd.GroupSsh()}}
                image: heartbeat
                count: {{count}}
                ports: { container: 8080, host_base: 25340 }
                health: { path: /heartbeat, interval: 200ms, start_timeout: 20s }
                rolling: { batch: 1, min_healthy_percent: 50, stop_timeout: 5s }
            """, $"environments/{Name}.yml", Name, _ => null);

    [Fact]
    public async Task A_saved_image_tar_is_streamed_to_the_host_and_loaded_once_then_skipped_while_the_host_has_it()
    {
        await using var sshd = await SshdHost.StartAsync(SshPort);
        var root = Directory.CreateTempSubdirectory($"{Name}-").FullName;
        var tag = $"saved-{System.Environment.ProcessId}";
        var id = await HeartbeatStandIn.BuildAsync(
            fixture.Docker,
            "pipeline-test-deploy/saved",
            tag,
            "v-saved",
            healthy: true,
            CancellationToken.None
        );
        try
        {
            var tar = Path.Combine(root, "artifacts", "images", "heartbeat-0123456789ab.tar");
            Directory.CreateDirectory(Path.GetDirectoryName(tar)!);
            await using (var file = File.Create(tar))
                await fixture.Docker.SaveImagesAsync([$"pipeline-test-deploy/saved:{tag}"], file, CancellationToken.None);
            var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(tar)));
            await new PublishedManifest(
                Name,
                [
                    new PublishedImage("heartbeat", "0123456789ab", null, null, id, [], id)
                    {
                        Archive = "artifacts/images/heartbeat-0123456789ab.tar",
                        ArchiveSha256 = sha,
                    },
                ]
            ).WriteAsync(Path.Combine(root, "artifacts", "published.json"), CancellationToken.None);
            await fixture.Docker.RemoveImageAsync(id, force: true, CancellationToken.None);
            (await fixture.Docker.InspectImageAsync(id, CancellationToken.None)).Should().BeNull("the host starts without the image");

            var first = await new Deployment(DeployLayouts.In(root), Environment(sshd, root, 1)).DeployAsync(
                new DeployRequest(TimeSpan.Zero, new RolloutOptions()),
                CancellationToken.None
            );
            first.Single().Succeeded.Should().BeTrue(first.Single().Message);
            (await fixture.Docker.InspectImageAsync(id, CancellationToken.None))
                .Should()
                .NotBeNull("docker load on the host gave the image");

            await File.WriteAllTextAsync(tar, "not a tar any more: a second delivery would fail its checksum");
            var second = await new Deployment(DeployLayouts.In(root), Environment(sshd, root, 2)).DeployAsync(
                new DeployRequest(TimeSpan.Zero, new RolloutOptions()),
                CancellationToken.None
            );
            second.Single().Succeeded.Should().BeTrue(second.Single().Message + " (the host had the image: nothing is sent)");

            var containers = await fixture.Docker.ListContainersAsync(
                [$"{DockerProvider.EnvironmentLabel}={Name}"],
                CancellationToken.None
            );
            containers.Should().HaveCount(2).And.OnlyContain(c => c.Labels!["pipeline.image"] == id && c.State == "running");
        }
        finally
        {
            foreach (
                var c in await fixture.Docker.ListContainersAsync([$"{DockerProvider.EnvironmentLabel}={Name}"], CancellationToken.None)
            )
                await fixture.Docker.RemoveContainerAsync(c.Id, CancellationToken.None);
            await fixture.Docker.RemoveImageAsync(id, force: true, CancellationToken.None);
            Directory.Delete(root, recursive: true);
        }
    }
}
