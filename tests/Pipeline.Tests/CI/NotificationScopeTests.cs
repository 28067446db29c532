using FluentAssertions;
using Pipeline.Notifications;
using Xunit;

namespace Pipeline.Tests.CI;

public class NotificationScopeTests
{
    private sealed class Recording(string name, bool throws = false) : INotifier
    {
        public List<string> Events { get; } = [];
        public string Name => name;
        public Task StartedAsync(NotificationEvent e, CancellationToken ct) => Record("started");
        public Task SucceededAsync(NotificationEvent e, CancellationToken ct) => Record("succeeded");
        public Task FailedAsync(NotificationEvent e, string reason, CancellationToken ct) => Record("failed: " + reason);

        private Task Record(string what)
        {
            Events.Add(what);
            return throws ? Task.FromException(new HttpRequestException("connection refused")) : Task.CompletedTask;
        }
    }

    private static readonly NotificationEvent Deploy = new("deploy", "staging", "0123456789abcdef");

    [Fact]
    public async Task Each_notifier_hears_started_then_exactly_one_outcome()
    {
        var a = new Recording("a");
        var b = new Recording("b");

        await using (var scope = await Notifier.BeginAsync([a, b], Deploy, null, CancellationToken.None))
        {
            await scope.SucceededAsync();
            await scope.FailedAsync("too late");
        }

        a.Events.Should().Equal("started", "succeeded");
        b.Events.Should().Equal("started", "succeeded");
    }

    [Fact]
    public async Task A_notifier_that_throws_does_not_stop_the_others_or_the_operation()
    {
        var broken = new Recording("broken", throws: true);
        var fine = new Recording("fine");

        await using (var scope = await Notifier.BeginAsync([broken, fine], Deploy, null, CancellationToken.None))
            await scope.FailedAsync("health check failed");

        fine.Events.Should().Equal("started", "failed: health check failed");
        broken.Events.Should().Equal("started", "failed: health check failed");
    }

    [Fact]
    public void Slack_text_names_the_operation_environment_commit_and_run()
    {
        var text = SlackNotifier.Text(":x:", Deploy with { RunUrl = "https://ci/runs/1" }, "failed");

        text.Should().Be(":x: deploy to staging of 0123456 failed (<https://ci/runs/1|run>)");
    }

    [Fact]
    public void Without_a_token_or_webhook_no_channel_is_enabled()
    {
        var settings = new NotificationSettings { GitHubRepository = "acme/shop" };

        settings.GitHubEnabled.Should().BeFalse();
        settings.SlackEnabled.Should().BeFalse();
        NotificationSettings.RunUrlFrom(new Dictionary<string, string>
        {
            ["GITHUB_SERVER_URL"] = "https://github.com",
            ["GITHUB_REPOSITORY"] = "acme/shop",
            ["GITHUB_RUN_ID"] = "9",
        }).Should().Be("https://github.com/acme/shop/actions/runs/9");
    }
}
