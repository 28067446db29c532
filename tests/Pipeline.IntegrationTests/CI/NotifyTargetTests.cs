using FluentAssertions;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.IntegrationTests.CI;

/// <summary>The nightly workflow's failure report: the Notify target run in-process, as the report job runs it.</summary>
public class NotifyTargetTests
{
    [Fact]
    public async Task Notify_posts_the_message_to_a_local_fake_of_the_Slack_webhook_and_masks_the_webhook_in_the_log()
    {
        using var slack = new FakeSlackWebhook();
        var root = Directory.CreateTempSubdirectory("cigen-notify-");
        Directory.CreateDirectory(Path.Combine(root.FullName, ".nuke"));
        var output = new StringWriter();
        try
        {
            var exitCode = await new BuildHost(new BuildHostOptions
            {
                Arguments = ["Notify", "--no-logo"],
                Environment = new Dictionary<string, string>
                {
                    ["NOTIFY_MESSAGE"] = ":x: Nightly failed (cluster test: failure, backups: success)",
                    ["SLACK_WEBHOOK"] = slack.WebhookUrl,
                },
                Root = new AbsolutePath(root.FullName),
                Output = output,
            }).RunAsync(new Build(), _ => throw new InvalidOperationException("Notify was named; no default target is needed."));

            exitCode.Should().Be(0, output.ToString());
            slack.Messages.Should().Equal(":x: Nightly failed (cluster test: failure, backups: success)");
            output.ToString().Should().Contain("Posted to Slack").And.NotContain("xoxsecretpath");
        }
        finally { root.Delete(recursive: true); }
    }
}
