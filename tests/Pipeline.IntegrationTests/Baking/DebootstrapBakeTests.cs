using FluentAssertions;
using Pipeline.Baking;
using Pipeline.IntegrationTests.Tools.Docker;
using Pipeline.Tools.Docker;
using Xunit;

namespace Pipeline.IntegrationTests.Baking;

/// <summary>
/// The example base (debootstrap minbase, shared cache in .nuke/temp/debootstrap: about a minute the first time) and an
/// image installing a package of the local APT repository, run with its health check. Heavy: filter it out with
/// <c>Category!=Heavy</c> for a quick run.
/// </summary>
[Collection(DockerCollection.Name)]
[Trait("Category", "Heavy")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DebootstrapBakeTests(DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task The_example_base_bakes_from_debootstrap_and_a_package_of_the_local_apt_repository_answers_its_health_check()
    {
        using var repo = new BakeRepository();
        CopyExampleBase(repo.Root);
        await TinyDeb.WriteRepositoryAsync(repo.Root, "pipeline-test-tiny", "1.0.0", Ct);
        repo.Image("svc", $$"""
            from: base
            provisioners:
              - packages: [pipeline-test-tiny]
              - env: { TINY_PORT: "8080" }
              - user: nobody
            cmd: [/usr/bin/tiny-http]
            expose: [8080]
            healthcheck: { test: http-check $TINY_PORT /heartbeat, interval: 1s, timeout: 2s, retries: 3 }
            {{BakeRepository.TestLabels}}
            """);

        var manifest = await new Baker(docker.Client, repo.Options()).BakeAsync(repo.Load(), Ct);
        var svc = manifest["svc"];
        svc.Parents.Should().Equal("base");
        manifest["base"].From.Should().StartWith($"{repo.Prefix}debootstrap-bookworm-minbase:");

        var id = await docker.Client.RunContainerAsync(new ContainerSpec(svc.HashTag)
        {
            Name = $"{repo.Prefix}svc",
            Labels = new Dictionary<string, string> { [DockerFixture.Label] = DockerFixture.RunId },
            Ports = [new PortMapping(8080)],
        }, Ct);
        try
        {
            ContainerInspect? state = null;
            for (var i = 0; i < 60 && state?.State.HealthStatus != "healthy"; i++)
            {
                await Task.Delay(500, Ct);
                state = await docker.Client.InspectContainerAsync(id, Ct);
            }
            state!.State.HealthStatus.Should().Be("healthy", (await docker.Client.ContainerLogsAsync(id, 20, Ct)).Combined);
            using var http = new HttpClient();
            (await http.GetStringAsync($"http://127.0.0.1:{state.HostPort("8080")}/heartbeat", Ct)).Should().Contain("tiny is alive");
            var exec = await docker.Client.ExecAsync(
                id,
                ["sh", "-c", "id -un; cat /etc/pipeline/release; test -x /usr/bin/tini && echo tini"],
                Ct
            );
            exec.StandardOutput.Should().Be("nobody\nPIPELINE_BASE=1\ntini\n");
        }
        finally
        {
            await docker.Client.StopContainerAsync(id, TimeSpan.FromSeconds(2), Ct);
            await docker.Client.RemoveContainerAsync(id, Ct);
        }
    }

    /// <summary>The repository's images/base and scripts/, so the debootstrap key (and its cache) is the example's.</summary>
    private static void CopyExampleBase(string root)
    {
        var project = BakeRepository.ProjectRoot();
        foreach (var folder in new[] { "images/base", "scripts" })
            foreach (var file in Directory.GetFiles(Path.Combine(project, folder), "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(root, Path.GetRelativePath(project, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
                File.SetUnixFileMode(target, File.GetUnixFileMode(file));
            }
        var definition = Path.Combine(root, "images/base/image.yml");
        File.WriteAllText(definition, File.ReadAllText(definition).Replace("labels:\n", "labels:\n  pipeline-test-images: \"1\"\n"));
    }
}
