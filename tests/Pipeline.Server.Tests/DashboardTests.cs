using System.Net;
using System.Text.RegularExpressions;

namespace Pipeline.Server.Tests;

/// <summary>The dashboard: token login through a form with antiforgery, environments filtered by scope, the lock holder, the
/// deploy history from the build's audit records, and starting a job from a form.</summary>
public sealed partial class DashboardTests
{
    [Fact]
    public async Task A_staging_token_logs_in_sees_staging_only_with_its_lock_and_deploys_and_starts_a_job_from_the_form()
    {
        var root = Fixture();
        await using var server = await RunningServer.StartAsync(extra: ["--root", root, "--lock-directory", Path.Combine(root, "locks")]);
        var token = await server.MintAsync("staging-team", "env:staging,target:ValidateImages");
        using var browser = Browser(server);

        (await browser.GetAsync("/")).Headers.Location!.ToString().Should().Be("/login");
        var login = await browser.GetStringAsync("/login");
        (await browser.PostAsync("/login", Form(("token", token)))).StatusCode
            .Should().Be(HttpStatusCode.BadRequest, "no antiforgery field");
        var loggedIn = await browser.PostAsync("/login", Form(("token", token), Antiforgery(login)));
        loggedIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
        loggedIn.Headers.GetValues("Set-Cookie").Should().Contain(c => c.StartsWith("pipeline_token=", StringComparison.Ordinal)
            && c.Contains("httponly", StringComparison.OrdinalIgnoreCase)
            && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));

        var home = await browser.GetStringAsync("/");
        home.Should().Contain("/environments/staging").And.NotContain("/environments/production").And.Contain("held by deployer@ci-7");
        (await browser.GetAsync("/environments/production")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var staging = await browser.GetStringAsync("/environments/staging");
        staging.Should().Contain("d-42").And.Contain("rolled back").And.Contain("/deploys/staging-web-d-42.timeline.html")
            .And.Contain("version 1.4.0").And.Contain("refreshed");
        (await browser.GetStringAsync("/deploys/staging-web-d-42.timeline.html")).Should().Contain("the timeline");

        var started = await browser.PostAsync("/environments/staging/jobs", Form(("targets", "ValidateImages"), Antiforgery(staging)));
        started.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var jobPage = await browser.GetStringAsync(started.Headers.Location!.ToString());
        jobPage.Should().Contain("ValidateImages --environment staging").And.Contain("new EventSource('/api/jobs/");
        (await browser.PostAsync("/api/jobs", new StringContent("""{"targets":["ValidateImages"],"environment":"staging"}""",
            System.Text.Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "the cookie opens no API change: a bearer token is needed");
    }

    [Fact]
    public async Task A_read_only_token_sees_the_same_pages_without_a_form_to_start_a_job()
    {
        var root = Fixture();
        await using var server = await RunningServer.StartAsync(extra: ["--root", root, "--lock-directory", Path.Combine(root, "locks")]);
        var token = await server.MintAsync("viewer", "env:*,read-only");
        using var browser = Browser(server);
        var login = await browser.GetStringAsync("/login");
        await browser.PostAsync("/login", Form(("token", token), Antiforgery(login)));

        (await browser.GetStringAsync("/")).Should().Contain("/environments/production").And.Contain("/environments/staging");
        var staging = await browser.GetStringAsync("/environments/staging");
        staging.Should().Contain("d-42").And.NotContain("Start a job");
        var refused = await browser.PostAsync("/environments/staging/jobs", Form(("targets", "ValidateImages"), Antiforgery(staging)));
        (await refused.Content.ReadAsStringAsync()).Should().Contain("may not run");
    }

    private static string Fixture()
    {
        var root = Directory.CreateTempSubdirectory("pipeline-dashboard-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "environments"));
        File.WriteAllText(Path.Combine(root, "environments", "staging.yml"), "groups: {}\n");
        File.WriteAllText(Path.Combine(root, "environments", "production.yml"), "groups: {}\n");
        var deploy = Directory.CreateDirectory(Path.Combine(root, "artifacts", "deploy")).FullName;
        File.WriteAllText(Path.Combine(deploy, "audit.jsonl"), """
            {"deploy":"d-42","environment":"staging","group":"web","user":"ops","result":"rolled back","message":"health gate","changes":[{}],"started_at":"2026-12-06T01:00:00+00:00","seconds":42.5}
            {"deploy":"d-43","environment":"production","group":"web","user":"ops","result":"succeeded","message":"","changes":[],"started_at":"2026-12-06T02:00:00+00:00","seconds":12}

            """);
        File.WriteAllText(Path.Combine(deploy, "staging-web-d-42.timeline.html"), "<p>the timeline</p>");
        Directory.CreateDirectory(Path.Combine(root, "locks"));
        var now = DateTimeOffset.UtcNow;
        File.WriteAllText(Path.Combine(root, "locks", "staging.deploy.lock"), $$"""
            {"environment":"staging","user":"deployer","host":"ci-7","pid":4242,"version":"1.4.0","started_at":"{{now.AddMinutes(-3):O}}",
             "expires_at":"{{now.AddMinutes(7):O}}","nonce":"abc"}
            """);
        return root;
    }

    private static HttpClient Browser(RunningServer server) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = server.Client.BaseAddress,
        };

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static (string, string) Antiforgery(string page)
    {
        var m = HiddenField().Match(page);
        m.Success.Should().BeTrue("the page's form carries the antiforgery field");
        return (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value));
    }

    [GeneratedRegex("""<input type="hidden" name="([^"]+)" value="([^"]+)">""")]
    private static partial Regex HiddenField();
}
