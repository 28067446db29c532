using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Engine.Logging;
using Pipeline.Notifications;
using Xunit;

namespace Pipeline.IntegrationTests.CI;

/// <summary>
/// The notifications Deploy and ClusterTest send, through the real HTTP clients, against local fakes of the
/// GitHub REST API and a Slack incoming webhook that check the documented request shapes.
/// </summary>
public class NotificationsAgainstLocalFakesTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private const string Token = "ghs_localfaketoken";
    private const string Repository = "acme/shop";

    private sealed class CapturingSink : ILogSink
    {
        public List<LogEntry> Entries { get; } = [];
        public void Write(LogEntry entry) { lock (Entries) Entries.Add(entry); }
    }

    private static NotificationSettings Settings(FakeGitHubApi github, FakeSlackWebhook slack) => new()
    {
        GitHubToken = Token,
        GitHubRepository = Repository,
        GitHubApiUrl = github.Url,
        SlackWebhook = slack.WebhookUrl,
        RunUrl = "https://github.com/acme/shop/actions/runs/7",
    };

    private static string[] DeploymentStatuses(FakeGitHubApi github) =>
        github.Accepted.Where(a => a.Path.EndsWith("/statuses") && a.Path.Contains("/deployments/"))
            .Select(a => a.Body["state"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task Deploy_posts_a_deployment_then_in_progress_then_success_statuses_against_a_local_fake_of_the_GitHub_API()
    {
        using var github = new FakeGitHubApi(Token, Repository);
        using var slack = new FakeSlackWebhook();

        await using (var n = await Notifier.BeginAsync(Settings(github, slack), "deploy", "staging", Sha, CancellationToken.None))
            await n.SucceededAsync();

        github.Requests.Select(r => (r.Method, r.Path)).Should().Equal(
            ("POST", "/repos/acme/shop/deployments"),
            ("POST", $"/repos/acme/shop/deployments/{github.Accepted[0].Body["id"]}/statuses"),
            ("POST", $"/repos/acme/shop/deployments/{github.Accepted[0].Body["id"]}/statuses"));
        github.Accepted.Should().HaveCount(3, "the fake accepted every request as documented");
        github.Accepted[0].Body["ref"]!.GetValue<string>().Should().Be(Sha);
        github.Accepted[0].Body["environment"]!.GetValue<string>().Should().Be("staging");
        DeploymentStatuses(github).Should().Equal("in_progress", "success");
        github.Accepted[1].Body["log_url"]!.GetValue<string>().Should().Be("https://github.com/acme/shop/actions/runs/7");
    }

    [Fact]
    public async Task A_failed_deploy_posts_in_progress_then_failure_with_its_reason_against_a_local_fake_of_the_GitHub_API()
    {
        using var github = new FakeGitHubApi(Token, Repository);
        using var slack = new FakeSlackWebhook();

        await using (var n = await Notifier.BeginAsync(Settings(github, slack), "deploy", "production", Sha, CancellationToken.None))
            await n.FailedAsync("web-1 failed its health check; rolled back");

        DeploymentStatuses(github).Should().Equal("in_progress", "failure");
        github.Accepted.Last().Body["description"]!.GetValue<string>().Should().Be("web-1 failed its health check; rolled back");
        github.Accepted[0].Body["production_environment"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task Deploy_posts_started_and_finished_messages_to_a_local_fake_of_the_Slack_webhook()
    {
        using var github = new FakeGitHubApi(Token, Repository);
        using var slack = new FakeSlackWebhook();

        await using (var n = await Notifier.BeginAsync(Settings(github, slack), "deploy", "staging", Sha, CancellationToken.None))
            await n.FailedAsync("lock held by <ci-42>");

        slack.Messages.Should().HaveCount(2);
        slack
            .Messages[0]
            .Should()
            .Be(":hourglass_flowing_sand: deploy to staging of 0123456 started (<https://github.com/acme/shop/actions/runs/7|run>)");
        slack.Messages[1].Should().StartWith(":x: deploy to staging of 0123456 failed").And.EndWith(": lock held by &lt;ci-42&gt;");
    }

    [Fact]
    public async Task Cluster_test_posts_pending_then_failure_commit_statuses_and_a_Slack_message_against_local_fakes_of_GitHub_and_Slack()
    {
        using var github = new FakeGitHubApi(Token, Repository);
        using var slack = new FakeSlackWebhook();

        await using (var n = await Notifier.BeginAsync(Settings(github, slack), "cluster-test", "virtual", Sha, CancellationToken.None))
            await n.FailedAsync("2 of 9 checks failed");

        github.Accepted.Select(a => a.Path).Should().AllBe($"/repos/acme/shop/statuses/{Sha}");
        github.Accepted.Select(a => (a.Body["state"]!.GetValue<string>(), a.Body["context"]!.GetValue<string>()))
            .Should().Equal(("pending", "pipeline/cluster-test"), ("failure", "pipeline/cluster-test"));
        slack.Messages.Last().Should().Contain("cluster-test on virtual").And.Contain("2 of 9 checks failed");
    }

    [Fact]
    public async Task A_scope_that_ends_without_an_outcome_reports_a_failure_against_a_local_fake_of_the_GitHub_API()
    {
        using var github = new FakeGitHubApi(Token, Repository);
        using var slack = new FakeSlackWebhook();

        var act = async () =>
        {
            await using var n = await Notifier.BeginAsync(Settings(github, slack), "deploy", "staging", Sha, CancellationToken.None);
            throw new InvalidOperationException("boom");
        };

        await act.Should().ThrowAsync<InvalidOperationException>();
        DeploymentStatuses(github).Should().Equal("in_progress", "failure");
    }

    [Fact]
    public async Task Failing_GitHub_and_Slack_endpoints_are_logged_as_warnings_and_never_fail_the_operation()
    {
        using var github = new FakeGitHubApi(Token, Repository) { FailWith = 500 };
        var sink = new CapturingSink();
        new BuildSession([sink]).Activate();
        var settings = new NotificationSettings
        {
            GitHubToken = Token,
            GitHubRepository = Repository,
            GitHubApiUrl = github.Url,
            SlackWebhook = "http://127.0.0.1:1/services/nothing-listens-here",
            Timeout = TimeSpan.FromSeconds(5),
        };

        await using (var n = await Notifier.BeginAsync(settings, "deploy", "staging", Sha, CancellationToken.None))
            await n.SucceededAsync();

        var warnings = sink.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        warnings
            .Should()
            .Contain(w => w.StartsWith("GitHub notification (start) failed, continuing: GitHub POST /repos/acme/shop/deployments: 500"));
        warnings.Should().Contain(w => w.StartsWith("Slack notification (start) failed, continuing:"));
        warnings.Should().Contain(w => w.StartsWith("Slack notification (success) failed"));
    }

    [Fact]
    public async Task A_wrong_token_is_refused_by_the_local_fake_of_the_GitHub_API_and_only_warned_about()
    {
        using var github = new FakeGitHubApi("the-right-token", Repository);
        using var slack = new FakeSlackWebhook();
        var sink = new CapturingSink();
        new BuildSession([sink]).Activate();

        await using (var n = await Notifier.BeginAsync(Settings(github, slack), "deploy", "staging", Sha, CancellationToken.None))
            await n.SucceededAsync();

        github.Accepted.Should().BeEmpty();
        sink.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("401 Bad credentials"));
        slack.Messages.Should().HaveCount(2, "Slack is independent of GitHub");
    }

    [Fact]
    public async Task With_a_GitHub_Enterprise_API_URL_the_calls_go_under_its_api_v3_path()
    {
        using var github = new FakeGitHubApi(Token, Repository, apiPath: "/api/v3");
        using var slack = new FakeSlackWebhook();

        await using (var n = await Notifier.BeginAsync(Settings(github, slack), "deploy", "staging", Sha, CancellationToken.None))
            await n.SucceededAsync();

        github.Requests.Select(r => r.Path).Should().AllSatisfy(p => p.Should().StartWith("/api/v3/repos/acme/shop/deployments"));
        DeploymentStatuses(github).Should().Equal("in_progress", "success");
    }

    [Fact]
    public async Task The_token_appears_in_no_warning_when_GitHub_refuses_a_call()
    {
        using var github = new FakeGitHubApi("the-right-token", Repository);
        var sink = new CapturingSink();
        new BuildSession([sink]).Activate(); // the token is deliberately not registered as a secret here
        var settings = new NotificationSettings { GitHubToken = Token, GitHubRepository = Repository, GitHubApiUrl = github.Url };

        await using (var n = await Notifier.BeginAsync(settings, "cluster-test", "virtual", Sha, CancellationToken.None))
            await n.FailedAsync("2 of 9 checks failed");

        github.Requests.Should().OnlyContain(r => r.Headers["Authorization"] == $"Bearer {Token}");
        sink.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("401 Bad credentials"));
        sink.Entries.Should().NotContain(e => e.Message.Contains(Token));
    }
}
