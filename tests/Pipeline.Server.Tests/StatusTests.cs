using System.Net;
using System.Text.RegularExpressions;

namespace Pipeline.Server.Tests;

/// <summary>The environment page's state, read by the background worker from what the targets leave (audit records, file_sd
/// listings, journals, freshness metrics, the Dns step's records) and from the instances themselves, with the pictures.</summary>
public sealed partial class StatusTests
{
    [Fact]
    public async Task The_environment_page_shows_instances_certificates_backups_dns_and_metrics_each_with_its_refresh_time()
    {
        await using var fixture = await StatusFixture.StartAsync();
        await using var server = await RunningServer.StartAsync(extra:
            ["--root", fixture.Root, "--lock-directory", Path.Combine(fixture.Root, "locks"), "--refresh-seconds", "1"]);
        var token = await server.MintAsync("viewer", "env:local,read-only");
        server.Client.DefaultRequestHeaders.Add("Cookie", $"pipeline_token={token}");

        var page = await server.Client.GetStringAsync("/environments/local");

        foreach (var port in StatusFixture.Ports) page.Should().Contain($"127.0.0.1:{port}");
        VersionCell().Matches(page).Count.Should().Be(3, "each instance answers its health path with its version");
        page.Should().Contain("web-2").And.Contain("healthy").And.NotContain("unhealthy")
            .And.Contain(StatusFixture.Digest[..19]).And.Contain("d-102").And.Contain("1 rollback(s)");
        page.Should().Contain("www.pipeline.example.com, api.pipeline.example.com").And.Contain("open since")
            .And.Contain("in 80 days");
        page.Should().Contain("7 MiB").And.Contain("311").And.Contain("whole").And.Contain("never");
        page.Should().Contain("app.pipeline.example.com").And.Contain("web web-1, web web-2, web web-3");
        page.Should().Contain("pipeline_deploy_info").And.Contain("backup-verify.prom");
        DeployBar().Matches(page).Count.Should().Be(3, "the rollout timeline has a bar per audit record");
        page.Should().Contain("id=\"backup-ages\"").And.Contain("id=\"backup-sizes\"").And.Contain("artifacts: 30h old");
        Regex.Matches(page, "refreshed <span").Count.Should().BeGreaterThanOrEqualTo(6, "every section says when it was read");
    }

    [Fact]
    public async Task An_instance_that_stops_answering_shows_as_unhealthy_after_the_next_refresh()
    {
        await using var fixture = await StatusFixture.StartAsync();
        File.WriteAllText(Path.Combine(fixture.Root, "artifacts", "deploy", "local-web.file_sd.json"), """
            [{"targets": ["127.0.0.1:25891", "127.0.0.1:25894"], "labels": {"env": "local", "group": "web"}}]
            """);
        await using var server = await RunningServer.StartAsync(extra:
            ["--root", fixture.Root, "--lock-directory", Path.Combine(fixture.Root, "locks"), "--refresh-seconds", "1"]);
        var token = await server.MintAsync("viewer", "env:local,read-only");
        server.Client.DefaultRequestHeaders.Add("Cookie", $"pipeline_token={token}");

        var page = await server.Client.GetStringAsync("/environments/local");

        page.Should().Contain("127.0.0.1:25894").And.Contain("unhealthy").And.Contain("refused");
    }

    [GeneratedRegex("""<td class="version">2\.0\.0</td>""")]
    private static partial Regex VersionCell();

    [GeneratedRegex("""<rect class="deploy" """)]
    private static partial Regex DeployBar();
}
