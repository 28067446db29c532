using FluentAssertions;
using Microsoft.Playwright;
using Pipeline.IntegrationTests.Deploying;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Pipeline.IntegrationTests.Serving;

/// <summary>
/// The dashboard in a real browser (Playwright driving Debian's Chromium) against a running Serve whose jobs are the real build:
/// an operator logs in with a token, starts a Deploy of a local environment (the Docker engine and HAProxy of this machine, the
/// stand-in heartbeat images, v1 running), watches its log stream, and sees the v2 instances and the deploy in the history; a
/// read-only token sees the same pages and cannot start a job. Screenshots go to artifacts/serve/. Ports 25890 and 25900–25904.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class DashboardBrowserTests(DeployFixture fixture)
{
    /// <summary>Not <c>local</c>: <c>./build.sh Down</c> removes the containers labelled with that environment.</summary>
    private const string Environment = "serve-local";
    private const int ServePort = 25890;
    public const string Chromium = "/usr/bin/chromium";

    private const string Policy = """
              batch: 2
              min_healthy_percent: 50
              warmup: 1s
              bake: 1s
              drain_timeout: 5s
              stop_timeout: 5s
              on_failure: rollback
        """;

    private static string Screenshots => Path.Combine(Packaging.RepositoryRoot.Path, "artifacts", "serve");

    [Fact]
    public async Task An_operator_starts_a_Deploy_watches_its_log_and_sees_the_new_instances_and_a_viewer_cannot_start_a_job()
    {
        await using var env = new TestEnvironment(fixture, Environment, 25900, 3, Policy);
        await env.StartAsync();
        env.Publish(fixture.V1);
        var first = await env.RunAsync("Deploy");
        first.ExitCode.Should().Be(0, TestEnvironment.Output(first));
        env.Publish(fixture.V2);
        await using var server = await ServeProcess.StartAsync(env.Root, BuildScript(env.Root), ServePort,
            "--lock-directory", Path.Combine(env.Root, ".nuke", "temp", "locks"), "--refresh-seconds", "1");
        var operatorToken = await server.MintAsync("operator", $"env:{Environment},target:Deploy");
        var viewerToken = await server.MintAsync("viewer", $"env:{Environment},read-only");
        Directory.CreateDirectory(Screenshots);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
        var page = await LogInAsync(browser, server, operatorToken);
        await Shot(page, "01-environments");
        await page.ClickAsync($"a[href='/environments/{Environment}']");
        await ReloadUntilAsync(page, page.Locator("td.version", new() { HasTextString = "v1" }), 3);
        await Shot(page, "02-environment-v1");

        await page.FillAsync("input[name=targets]", "Deploy");
        await page.ClickAsync("button:has-text('Start')");
        await page.WaitForURLAsync("**/jobs/*");
        await Expect(page.Locator("#log")).ToContainTextAsync($"{Environment}/web", new() { Timeout = 120_000 });
        await Shot(page, "03-job-log-streaming");
        await Expect(page.Locator("#status")).ToHaveTextAsync("succeeded", new() { Timeout = 300_000 });
        (await page.Locator("#log").TextContentAsync()).Should().Contain("web-1").And.Contain("web-3");
        await Shot(page, "04-job-succeeded");

        await page.GotoAsync($"/environments/{Environment}");
        await ReloadUntilAsync(page, page.Locator("td.version", new() { HasTextString = "v2" }), 3);
        // The instances answer v2 as soon as they run; the audit record lands when the deploy ends: wait for its reading too.
        await ReloadUntilAsync(page, page.Locator("#rollout-timeline rect.deploy"), 2);
        await Expect(page.Locator("table.instances td.succeeded")).ToHaveCountAsync(3);
        await Expect(page.Locator("table.instances code", new() { HasTextString = fixture.V2[..19] })).ToHaveCountAsync(3);
        await Expect(page.Locator("#rollout-timeline rect.deploy")).ToHaveCountAsync(2);
        await Expect(page.Locator("td.succeeded", new() { HasTextString = "succeeded" })).ToHaveCountAsync(3, new() { Timeout = 10_000 });
        await Shot(page, "05-environment-v2-and-history");

        var viewer = await LogInAsync(browser, server, viewerToken);
        await viewer.GotoAsync($"/environments/{Environment}");
        await Expect(viewer.Locator("td.version", new() { HasTextString = "v2" })).ToHaveCountAsync(3);
        await Expect(viewer.Locator("#rollout-timeline rect.deploy")).ToHaveCountAsync(2);
        await Expect(viewer.Locator($"form[action='/environments/{Environment}/jobs']")).ToHaveCountAsync(0);
        await Shot(viewer, "06-read-only-environment");
        // The form is not offered; a crafted one (with the page's own antiforgery token) is refused all the same.
        await viewer.EvaluateAsync($$"""
            () => {
              const form = document.createElement('form');
              form.method = 'post';
              form.action = '/environments/{{Environment}}/jobs';
              form.appendChild(document.querySelector('form[action="/logout"] input[type=hidden]').cloneNode());
              const targets = document.createElement('input');
              targets.name = 'targets';
              targets.value = 'Deploy';
              form.appendChild(targets);
              document.body.appendChild(form);
              form.submit();
            }
            """);
        await Expect(viewer.Locator("main")).ToContainTextAsync("may not run");
        await Shot(viewer, "07-read-only-refused");
        await viewer.GotoAsync($"/environments/{Environment}");
        await Expect(viewer.Locator("a[href^='/jobs/']")).ToHaveCountAsync(1, new() { Timeout = 5_000 });
    }

    /// <summary>The build as the integration tests run it (<c>_build.dll … --no-logo --skip</c> in the throw-away root), behind
    /// the script Serve runs for each job.</summary>
    private static string BuildScript(string root)
    {
        var path = Path.Combine(root, "build-for-serve.sh");
        File.WriteAllText(path, $"""
            #!/bin/sh
            export PIPELINE_ROOT='{root}'
            exec dotnet '{Path.Combine(AppContext.BaseDirectory, "_build.dll")}' "$@" --no-logo --skip
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    private static async Task<IPage> LogInAsync(IBrowser browser, ServeProcess server, string token)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = server.Url, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync($"{server.Url}/login");
        await page.FillAsync("input[name=token]", token);
        await page.ClickAsync("button:has-text('Log in')");
        await Expect(page).ToHaveURLAsync($"{server.Url}/");
        return page;
    }

    /// <summary>The pages are server-rendered from the refresher's last reading: reload until it shows what the test waits for.</summary>
    private static async Task ReloadUntilAsync(IPage page, ILocator locator, int count, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (await locator.CountAsync() != count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            await page.ReloadAsync();
        }
        await Expect(locator).ToHaveCountAsync(count);
    }

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"{name}.png"), FullPage = true });
}
