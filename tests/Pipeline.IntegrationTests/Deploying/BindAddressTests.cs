using FluentAssertions;
using Pipeline.Tools.Docker;
using System.Formats.Tar;
using System.Text;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// A v2 whose app listens on 127.0.0.1 inside its container (busybox httpd -p 127.0.0.1:8080) and whose Docker
/// HEALTHCHECK, run inside, passes: the published port resets every connection. Real Docker and HAProxy. Ports 25310–25319.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class BindAddressTests(DeployFixture fixture)
{
    private const string Policy = """
              batch: 1
              warmup: 1s
              bake: 1s
              drain_timeout: 5s
              stop_timeout: 5s
              on_failure: rollback
        """;

    [Fact]
    public async Task A_container_healthy_inside_whose_published_port_resets_fails_before_start_timeout_with_the_bind_hint_and_rolls_back()
    {
        var loopbackOnly = await BuildLoopbackOnlyAsync();
        try
        {
            await using var env = new TestEnvironment(fixture, "test-deploy-bind", 25310, 2, Policy);
            await env.StartAsync();
            env.Publish(fixture.V1);
            var first = await env.RunAsync("Deploy");
            first.ExitCode.Should().Be(0, TestEnvironment.Output(first));

            env.Publish(loopbackOnly);
            var second = await env.RunAsync("Deploy");

            second.ExitCode.Should().Be(1, TestEnvironment.Output(second));
            TestEnvironment
                .Output(second)
                .Should()
                .MatchRegex(
                    @"test-deploy-bind/web: web-1 failed: GET /heartbeat: .+ \(\d+ checks in a row on 127\.0\.0\.1:25312\) although the container reports itself healthy: "
                        + @"the app answers inside the container but not on its published port; if it listens on 127\.0\.0\.1, listen on 0\.0\.0\.0 inside the container \(and check that ports/container is the port it listens on\); rolled back web-1 to the previous version"
                );
            var journal = File.ReadAllLines(env.JournalPath).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
            DateTimeOffset At(string step) =>
                journal
                    .Last(e =>
                        e.GetProperty("step").GetString() == step
                        && e.GetProperty("instance").GetString() == "web-1"
                        && (step != "started" || e.GetProperty("to").GetString() == loopbackOnly)
                    )
                    .GetProperty("at")
                    .GetDateTimeOffset();
            (At("failed") - At("started"))
                .Should()
                .BeLessThan(
                    TimeSpan.FromSeconds(10),
                    "the batch fails long before start_timeout (20s in these environments) is waited out"
                );
            (await env.ImagesAsync()).Should().HaveCount(2).And.AllBe(fixture.V1);
        }
        finally { await fixture.Docker.RemoveImageAsync(loopbackOnly, force: true, CancellationToken.None); }
    }

    /// <summary>The fixture's v2 with its app bound to 127.0.0.1 and a HEALTHCHECK that asks it from inside.</summary>
    private async Task<string> BuildLoopbackOnlyAsync()
    {
        var v2 = (await fixture.Docker.InspectImageAsync(fixture.V2, CancellationToken.None))!.RepoTags!.First(t =>
            t.StartsWith(DeployFixture.Repository + ":", StringComparison.Ordinal)
        );
        var dockerfile = $"""
            FROM {v2}
            ENV HEARTBEAT_PORT=127.0.0.1:8080
            HEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD ["/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/heartbeat"]
            """;
        using var context = new MemoryStream();
        using (var writer = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(
                new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile")
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile.ReplaceLineEndings("\n") + "\n")),
                }
            );
        context.Position = 0;
        return await fixture.Docker.BuildImageAsync(context, new BuildOptions(), null, CancellationToken.None);
    }
}
