using CliWrap;
using CliWrap.Buffered;
using FluentAssertions;
using Pipeline.Deploying.Haproxy;
using Pipeline.Tools.Process;
using System.Diagnostics;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// Deploy, Plan and the lock as a user runs them (the build as a process), against the real Docker engine and a real
/// HAProxy 2.6 per test, with stand-in heartbeat images. Ports 25200–25299.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class RollingDeployTests(DeployFixture fixture)
{
    private const string Policy = """
              batch: 2
              min_healthy_percent: 50
              warmup: 1s
              bake: 1s
              drain_timeout: 5s
              stop_timeout: 5s
              on_failure: rollback
        """;

    /// <summary>A commit of the test repository (git run with a fixed identity), for the delivery metrics' lead time.</summary>
    private static async Task CommitAsync(string root, string message)
    {
        foreach (var arguments in (string[][])[["init", "-q"], ["-c", "user.name=test", "-c", "user.email=test@localhost",
            "commit", "-q", "--allow-empty", "-m", message]])
            (await Cli.Wrap("git").WithArguments(arguments).WithWorkingDirectory(root).WithValidation(CommandResultValidation.None)
                .RunBufferedAsync()).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task A_v2_whose_health_check_fails_is_rolled_back_with_exit_1_and_no_failed_request()
    {
        await using var env = new TestEnvironment(fixture, "test-deploy-rollback", 25200, 4, Policy);
        await env.StartAsync();
        env.Publish(fixture.V1);
        await CommitAsync(env.Root, "v1");
        var first = await env.RunAsync("Deploy");
        first.ExitCode.Should().Be(0, TestEnvironment.Output(first));

        int failed, succeeded;
        List<string> failures;
        CliWrap.Buffered.BufferedCommandResult second;
        await using (var load = new LoadLoop(env.FrontendPort))
        {
            env.Publish(fixture.BadV2);
            await CommitAsync(env.Root, "v2");
            second = await env.RunAsync("Deploy");
            await Task.Delay(300);
            (failed, succeeded, failures) = (load.Failed, load.Succeeded, load.Failures);
        }

        second.ExitCode.Should().Be(1, TestEnvironment.Output(second));
        TestEnvironment
            .Output(second)
            .Should()
            .MatchRegex(
                @"test-deploy-rollback/web: web-[12] failed: GET /heartbeat → 404 \(\d+ checks in a row\); rolled back web-1, web-2 to the previous version"
            );
        failed.Should().Be(0, string.Join("; ", failures));
        succeeded.Should().BeGreaterThan(20);
        (await env.ImagesAsync()).Should().HaveCount(4).And.AllBe(fixture.V1);
        (await env.Api.ServersAsync("web", CancellationToken.None)).Should().HaveCount(4).And.OnlyContain(s => s.IsServing);

        // The delivery metrics from these two real audit records and the test repository's two commits: one deploy live
        // (its commit's lead time), one rolled back (a 50% change-failure rate, restored when the rollback ended).
        var page = File.ReadAllText(Path.Combine(env.Root, "artifacts", "deploy", "delivery-test-deploy-rollback.md"));
        page.Should().Contain("2 deploys, 1 live, 1 failed (1 rolled back)").And.Contain("| Change-failure rate | 50% |")
            .And.MatchRegex(@"\| Lead time for changes \| [\d.]+ (s|min) \|").And.MatchRegex(@"\| Time to restore \| [\d.]+ (s|min) \|")
            .And.MatchRegex(@"\| rolled back \| .* \| [0-9a-f]{12} \| – \| [\d.]+ (s|min) \|");
        var metrics = Pipeline.Monitoring.TextfileMetrics.Parse(
            File.ReadAllText(Path.Combine(env.Root, "artifacts", "metrics", "delivery-test-deploy-rollback.prom")));
        metrics.Select(m => m.Name).Should().Contain(["pipeline_delivery_deploys_per_day", "pipeline_delivery_lead_time_seconds",
            "pipeline_delivery_change_failure_ratio", "pipeline_delivery_time_to_restore_seconds"]);
        metrics.Single(m => m.Name == "pipeline_delivery_change_failure_ratio").Value.Should().Be(0.5);
    }

    [Fact]
    public async Task Deploy_posts_deployment_statuses_in_order_and_Slack_messages_against_local_fakes_of_GitHub_and_Slack()
    {
        using var github = new Pipeline.IntegrationTests.CI.FakeGitHubApi("ghs_localfaketoken", "acme/shop");
        using var slack = new Pipeline.IntegrationTests.CI.FakeSlackWebhook();
        await using var env = new TestEnvironment(fixture, "test-deploy-notify", 25290, 2, Policy);
        await env.StartAsync();
        CliWrap.Command Notifying(CliWrap.Command c) => c
            .WithEnvironment("GITHUB_TOKEN", github.Token).WithEnvironment("GITHUB_REPOSITORY", github.Repository)
            .WithEnvironment("GITHUB_API_URL", github.Url).WithEnvironment("SLACK_WEBHOOK", slack.WebhookUrl)
            .WithEnvironment("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");

        env.Publish(fixture.V1);
        var good = await Notifying(env.Build("Deploy")).RunBufferedAsync();
        env.Publish(fixture.BadV2);
        var bad = await Notifying(env.Build("Deploy")).RunBufferedAsync();

        good.ExitCode.Should().Be(0, TestEnvironment.Output(good));
        bad.ExitCode.Should().Be(1, TestEnvironment.Output(bad));
        var states = github.Accepted.Where(a => a.Path.Contains("/deployments/") && a.Path.EndsWith("/statuses"))
            .Select(a => a.Body["state"]!.GetValue<string>());
        states.Should().Equal("in_progress", "success", "in_progress", "failure");
        github.Accepted.Last().Body["description"]!.GetValue<string>().Should().Contain("rolled back");
        slack.Messages.Should().HaveCount(4);
        slack.Messages[1].Should().Contain("succeeded");
        slack.Messages[3].Should().Contain("failed").And.Contain("rolled back");
        (TestEnvironment.Output(good) + TestEnvironment.Output(bad)).Should().NotContain(github.Token).And.NotContain(slack.WebhookUrl);
    }

    [Fact]
    public async Task A_second_deploy_started_during_the_first_is_refused_naming_the_holder()
    {
        await using var env = new TestEnvironment(fixture, "test-deploy-lock", 25220, 2, Policy.Replace("bake: 1s", "bake: 4s"));
        await env.StartAsync();
        env.Publish(fixture.V1);
        var first = env.Build("Deploy").RunBufferedAsync();
        var lockFile = Path.Combine(env.Root, ".nuke", "temp", "locks", "test-deploy-lock.deploy.lock");
        var watch = Stopwatch.StartNew();
        while (!File.Exists(lockFile) && watch.Elapsed < TimeSpan.FromSeconds(30) && !first.IsCompleted) await Task.Delay(50);

        var second = await env.RunAsync("Deploy");

        TestEnvironment
            .Output(second)
            .Should()
            .MatchRegex(@"test-deploy-lock is locked: being deployed by \w+@\S+ \(pid \d+\) since .* deploying web=sha256:");
        second.ExitCode.Should().Be(1);
        var firstResult = await first;
        firstResult.ExitCode.Should().Be(0, TestEnvironment.Output(firstResult));
        File.Exists(lockFile).Should().BeFalse("the first deploy releases its lock");
    }

    [Fact]
    public async Task Plan_lists_exactly_the_changes_and_nothing_after_a_deploy()
    {
        await using var env = new TestEnvironment(fixture, "test-deploy-plan", 25240, 3, Policy);
        await env.StartAsync();
        env.Publish(fixture.V1);
        var v1 = fixture.V1[..19];
        var v2 = fixture.V2[..19];

        var empty = await env.RunAsync("Plan", "--detailed-exitcode");
        empty.ExitCode.Should().Be(3, TestEnvironment.Output(empty));
        PlanLines(empty).Should().Equal($"+ web-1  {v1}…", $"+ web-2  {v1}…", $"+ web-3  {v1}…");

        (await env.RunAsync("Deploy")).ExitCode.Should().Be(0);
        var after = await env.RunAsync("Plan", "--detailed-exitcode");
        after.ExitCode.Should().Be(0, TestEnvironment.Output(after));
        PlanLines(after).Should().BeEmpty();
        TestEnvironment.Output(after).Should().Contain("test-deploy-plan/web: no changes (3 × sha256:");

        env.Publish(fixture.V2);
        var upgrade = await env.RunAsync("Plan", "--detailed-exitcode");
        upgrade.ExitCode.Should().Be(3);
        PlanLines(upgrade).Should().Equal($"~ web-1  {v1}… → {v2}…", $"~ web-2  {v1}… → {v2}…", $"~ web-3  {v1}… → {v2}…");
        TestEnvironment.Output(upgrade).Should().Contain("test-deploy-plan/web: 0 to add, 3 to replace, 0 to remove.");
        (await env.ImagesAsync()).Should().AllBe(fixture.V1, "Plan changes nothing");
    }

    [Fact]
    public async Task A_deployer_killed_mid_rollout_converges_on_the_next_run_and_leaves_no_healthy_instance_drained()
    {
        await using var env = new TestEnvironment(fixture, "test-deploy-kill", 25260, 6, Policy);
        await env.StartAsync();
        env.Publish(fixture.V1);
        (await env.RunAsync("Deploy")).ExitCode.Should().Be(0);

        env.Publish(fixture.V2);
        using (var killed = StartBuild(env, "Deploy"))
        {
            var watch = Stopwatch.StartNew();
            while (!JournalHas(env, "drained", "web-3") && watch.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(20);
            killed.Kill(); // SIGKILL: no clean-up of any kind
            await killed.WaitForExitAsync();
        }
        var servers = await env.Api.ServersAsync("web", CancellationToken.None);
        servers.Should().Contain(s => s.Name == "web-3" && s.IsMaint, "the killed deployer had drained web-3");

        CliWrap.Buffered.BufferedCommandResult again;
        int failed;
        await using (var load = new LoadLoop(env.FrontendPort))
        {
            again = await env.RunAsync("Deploy");
            failed = load.Failed;
        }

        again.ExitCode.Should().Be(0, TestEnvironment.Output(again));
        TestEnvironment.Output(again).Should().Contain("Taking over the stale deploy lock").And.Contain("Resuming after deploy");
        failed.Should().Be(0);
        (await env.ImagesAsync()).Should().HaveCount(6).And.AllBe(fixture.V2);
        (await env.Api.ServersAsync("web", CancellationToken.None)).Should().HaveCount(6).And.OnlyContain(s => s.IsServing);
    }

    private static bool JournalHas(TestEnvironment env, string step, string instance) =>
        File.Exists(env.JournalPath)
        && File.ReadLines(env.JournalPath).Any(l => l.Contains($"\"step\":\"{step}\"") && l.Contains($"\"instance\":\"{instance}\""));

    /// <summary>The build as a bare process, so the test can SIGKILL it.</summary>
    private static Process StartBuild(TestEnvironment env, params string[] arguments)
    {
        var command = env.Build(arguments);
        // CliWrap keeps the arguments as one string escaped so that ProcessStartInfo splits it back into the same argv.
        var info = new ProcessStartInfo(command.TargetFilePath, command.Arguments)
        {
            WorkingDirectory = env.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["PIPELINE_ROOT"] = env.Root;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static List<string> PlanLines(CliWrap.Buffered.BufferedCommandResult result) =>
        TestEnvironment
            .Output(result)
            .Split('\n')
            .Select(l => l.Trim())
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"^.*?([~+-] web-\d.*)$", "$1"))
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^[~+-] web-\d"))
            .ToList();
}
