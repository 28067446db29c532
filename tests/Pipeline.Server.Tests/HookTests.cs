using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Pipeline.Server.Tests;

/// <summary>The Slack slash command and the GitHub webhook refuse a bad signature, a stale timestamp and a replay.</summary>
public sealed class HookTests
{
    private const string Command =
        "token=x&team_id=T1&channel_id=C1&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fpipeline&text=ValidateImages+staging"
        + "&trigger_id=1.2.3";

    [Fact]
    public async Task Slack_signing_follows_Slack_documented_v0_example()
    {
        // Slack's "Verifying requests from Slack": its example secret, timestamp and body give this signature.
        const string body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
            + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
            + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

        Pipeline.Server.Hooks.SlackSignature.Sign(Hooks.SlackSecret, "1531420618", Encoding.UTF8.GetBytes(body))
            .Should().Be("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    }

    [Fact]
    public async Task GitHub_signing_follows_GitHub_documented_example()
    {
        // GitHub's "Validating webhook deliveries": this secret and payload give this signature.
        Pipeline.Server.Hooks.GitHubSignature.Sign(Hooks.GitHubSecret, Encoding.UTF8.GetBytes("Hello, World!"))
            .Should().Be("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_signed_Slack_command_queues_a_job_and_a_bad_signature_a_stale_timestamp_and_a_replay_are_refused()
    {
        await using var server = await RunningServer.StartAsync();
        var token = await server.MintAsync("slack-roadrunner", "env:staging,target:ValidateImages", slackUser: "U2CERLKJA");
        var now = DateTimeOffset.UtcNow;

        (await server.Client.SendAsync(Hooks.Slack(Command, now, signature: "v0=" + new string('0', 64)))).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized);
        (await server.Client.SendAsync(Hooks.Slack(Command, now.AddMinutes(-6)))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var tampered = Hooks.Slack(Command, now);
        tampered.Content = new StringContent(Command.Replace("staging", "production", StringComparison.Ordinal), Encoding.UTF8,
            "application/x-www-form-urlencoded");
        (await server.Client.SendAsync(tampered)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var accepted = await server.Client.SendAsync(Hooks.Slack(Command, now));
        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
        var text = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString()!;
        text.Should().StartWith("Job ").And.Contain("ValidateImages on staging");
        var id = text.Split(' ')[1];
        (await server.WaitForStatusAsync(token, id, s => s == "succeeded")).Should().Be("succeeded");

        var replay = await server.Client.SendAsync(Hooks.Slack(Command, now));
        replay.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await replay.Content.ReadAsStringAsync()).Should().Contain("replay");

        var production = Command.Replace("staging", "production", StringComparison.Ordinal);
        var refused = await server.Client.SendAsync(Hooks.Slack(production, now));
        (await refused.Content.ReadAsStringAsync()).Should().Contain("Refused").And.Contain("may not run");
        var stranger = await server.Client.SendAsync(Hooks.Slack(Command.Replace("U2CERLKJA", "U999", StringComparison.Ordinal), now));
        (await stranger.Content.ReadAsStringAsync()).Should().Contain("not on Pipeline's access list");
    }

    [Fact]
    public async Task A_signed_GitHub_push_to_the_branch_starts_the_targets_and_a_bad_signature_and_a_replay_are_refused()
    {
        await using var server =
            await RunningServer.StartAsync(extra: ["--github-targets", "ValidateImages", "--github-environment", "staging"]);
        var token = await server.MintAsync("viewer", "env:*,read-only");
        const string push = """{"ref":"refs/heads/main","after":"abc123"}""";

        (await server.Client.SendAsync(Hooks.GitHub(push, "d-1", signature: "sha256=" + new string('0', 64)))).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized);
        var accepted = await server.Client.SendAsync(Hooks.GitHub(push, "d-2"));
        accepted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        (await server.WaitForStatusAsync(token, id, s => s == "succeeded")).Should().Be("succeeded");
        (await server.ReadLogAsync(token, id)).Lines.Should().Contain("args: ValidateImages --environment staging");

        (await server.Client.SendAsync(Hooks.GitHub(push, "d-2"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a replay");
        var other = await server.Client.SendAsync(Hooks.GitHub("""{"ref":"refs/heads/feature"}""", "d-3"));
        other.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await other.Content.ReadAsStringAsync()).Should().Contain("ignored");
    }
}
