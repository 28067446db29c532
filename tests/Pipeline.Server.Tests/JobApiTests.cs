using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pipeline.Server.Tests;

/// <summary>The job API against the real server process: queue, status, live log, one job per environment, cancel.</summary>
public sealed class JobApiTests
{
    [Fact]
    public async Task A_job_runs_the_build_with_its_targets_and_parameters_and_its_log_streams_with_secrets_masked()
    {
        await using var server = await RunningServer.StartAsync();
        var token = await server.MintAsync("ops", "env:*,target:*");

        var response = await server.Client.SendAsync(server.Request(HttpMethod.Post, "/api/jobs", token,
            new
            {
                targets = new[] { "ValidateImages" },
                environment = "local",
                parameters = Parameters("configuration", "Release --skip x"),
            }));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var (lines, end) = await server.ReadLogAsync(token, id);
        end.Should().Be("succeeded");
        lines.Should().Contain("args: ValidateImages --environment local --configuration=Release --skip x");
        lines.Should().Contain("the secret is ****");
        string.Join('\n', lines).Should().NotContain(RunningServer.SecretValue);
        File.ReadAllText(Path.Combine(server.State, "jobs", $"{id}.log")).Should().NotContain(RunningServer.SecretValue);
        var job = await server.Client.SendAsync(server.Request(HttpMethod.Get, $"/api/jobs/{id}", token));
        var body = await job.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetString().Should().Be("succeeded");
        body.GetProperty("exitCode").GetInt32().Should().Be(0);
        body.GetProperty("requestedBy").GetString().Should().Be("ops");
    }

    [Fact]
    public async Task The_local_executor_runs_the_real_build_script()
    {
        await using var server = await RunningServer.StartAsync(buildScript: Path.Combine(RunningServer.RepositoryRoot, "build.sh"));
        var token = await server.MintAsync("ops", "env:local,target:ValidateImages");

        var id = await server.SubmitIdAsync(token, "local", "ValidateImages");

        var (lines, end) = await server.ReadLogAsync(token, id);
        end.Should().Be("succeeded", string.Join('\n', lines));
        lines.Should().Contain(l => l.Contains("ValidateImages", StringComparison.Ordinal)
            && l.Contains("Succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_build_fails_the_job_and_a_secret_parameter_is_refused_from_a_request()
    {
        await using var server = await RunningServer.StartAsync();
        var token = await server.MintAsync("ops", "env:local,target:*");

        var id = await server.SubmitIdAsync(token, "local", "Fail");
        (await server.WaitForStatusAsync(token, id, s => s is not ("queued" or "running"))).Should().Be("failed");

        var secret = await server.Client.SendAsync(server.Request(HttpMethod.Post, "/api/jobs", token,
            new { targets = new[] { "Deploy" }, environment = "local", parameters = Parameters("pipeline-test-secret", "x") }));
        secret.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await secret.Content.ReadAsStringAsync()).Should().Contain("server's environment");
        (await server.SubmitAsync(token, "nowhere", "Deploy")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await server.SubmitAsync(token, "local", "--help")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task At_most_one_job_runs_per_environment_and_another_environment_is_not_held_up()
    {
        await using var server = await RunningServer.StartAsync();
        var token = await server.MintAsync("ops", "env:*,target:*");

        var first = await server.SubmitIdAsync(token, "local", "Slow");
        (await server.WaitForStatusAsync(token, first, s => s == "running")).Should().Be("running");
        var second = await server.SubmitIdAsync(token, "local", "ValidateImages");
        var other = await server.SubmitIdAsync(token, "staging", "ValidateImages");

        (await server.WaitForStatusAsync(token, other, s => s == "succeeded")).Should().Be("succeeded");
        (await server.StatusAsync(token, second)).Should().Be("queued", "local's Slow job still runs");

        (await server.Client.SendAsync(server.Request(HttpMethod.Delete, $"/api/jobs/{first}", token))).EnsureSuccessStatusCode();
        (await server.WaitForStatusAsync(token, second, s => s == "succeeded")).Should().Be("succeeded");
    }

    [Fact]
    public async Task Cancelling_a_running_job_sends_SIGTERM_so_that_its_clean_up_runs_and_a_queued_one_never_starts()
    {
        await using var server = await RunningServer.StartAsync();
        var token = await server.MintAsync("ops", "env:local,target:*");
        var running = await server.SubmitIdAsync(token, "local", "Slow");
        (await server.WaitForStatusAsync(token, running, s => s == "running")).Should().Be("running");
        var queued = await server.SubmitIdAsync(token, "local", "ValidateImages");

        (await server.Client.SendAsync(server.Request(HttpMethod.Delete, $"/api/jobs/{queued}", token))).EnsureSuccessStatusCode();
        (await server.Client.SendAsync(server.Request(HttpMethod.Delete, $"/api/jobs/{running}", token))).EnsureSuccessStatusCode();

        var (lines, end) = await server.ReadLogAsync(token, running);
        end.Should().Be("cancelled");
        lines.Should().Contain("SIGTERM received, cleaning up");
        lines.Should().Contain("The build exited with 130: cancelled.");
        (await server.StatusAsync(token, queued)).Should().Be("cancelled");
        (await server.ReadLogAsync(token, queued)).Lines.Should().NotContain(l => l.StartsWith("args:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Killing_the_server_mid_job_loses_no_queued_job_and_marks_the_running_one_interrupted()
    {
        var state = RunningServer.NewState();
        string token, running, queued;
        int orphan;
        await using (var first = await RunningServer.StartAsync(state))
        {
            token = await first.MintAsync("ops", "env:local,target:*");
            running = await first.SubmitIdAsync(token, "local", "Slow");
            (await first.WaitForStatusAsync(token, running, s => s == "running")).Should().Be("running");
            queued = await first.SubmitIdAsync(token, "local", "ValidateImages");
            orphan = OrphanBuild(running);
            first.Kill();
        }
        Alive(orphan).Should().BeTrue("SIGKILL to the server leaves its build running");

        await using var second = await RunningServer.StartAsync(state);

        (await second.StatusAsync(token, running)).Should().Be("interrupted");
        (await second.WaitForStatusAsync(token, queued, s => s == "succeeded")).Should().Be("succeeded");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Alive(orphan) && DateTime.UtcNow < deadline) await Task.Delay(100);
        Alive(orphan).Should().BeFalse("the restarted server stops the interrupted job's build with SIGTERM");
        (await second.ReadLogAsync(token, running)).Lines.Should().Contain(l => l.Contains("marked interrupted", StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Parameters(string name, string value) => new() { [name] = value };

    /// <summary>The stand-in build of a job, found by the job id in its environment.</summary>
    private static int OrphanBuild(string jobId) =>
        Directory.GetDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .First(pid => Jobs.Signals.IsJobProcess(pid, jobId));

    private static bool Alive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);
}
