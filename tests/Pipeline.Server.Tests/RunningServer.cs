using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Pipeline.Server.Tests;

/// <summary>
/// The real server, started as a process (<c>dotnet Pipeline.Server.dll</c>, as <c>./build.sh Serve</c> starts it) on a free
/// 127.0.0.1 port, with its state in a temporary folder and, unless a test wants the real <c>./build.sh</c>, a stand-in build
/// script that echoes its arguments and a secret, and sleeps when its first target is <c>Slow</c>.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    public const string SecretValue = "hunter2-very-secret-value";
    public const string SecretVariable = "PIPELINE_TEST_SECRET";

    private readonly Process _process;

    private RunningServer(Process process, string state, int port, string buildScript)
    {
        _process = process;
        State = state;
        Port = port;
        BuildScript = buildScript;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string State { get; }
    public int Port { get; }
    public string BuildScript { get; }
    public HttpClient Client { get; }
    public int ProcessId => _process.Id;

    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above the test assembly");
    }

    /// <summary>The server assembly this test run built (same configuration as the tests).</summary>
    public static string Assembly => Path.Combine(AppContext.BaseDirectory, "Pipeline.Server.dll");

    public static string NewState() => Directory.CreateTempSubdirectory("pipeline-serve-").FullName;

    public static string StandInScript(string state)
    {
        var path = Path.Combine(state, "build-stand-in.sh");
        File.WriteAllText(path, $$"""
            #!/bin/sh
            trap 'echo "SIGTERM received, cleaning up"; exit 130' TERM
            echo "args: $*"
            echo "the secret is ${{SecretVariable}}"
            if [ "$1" = Slow ]; then sleep 30 & wait $!; fi
            if [ "$1" = Fail ]; then exit 3; fi
            echo "done"
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    public static async Task<RunningServer> StartAsync(string? state = null, string? buildScript = null, params string[] extra)
    {
        state ??= NewState();
        buildScript ??= StandInScript(state);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Assembly, "--listen", $"127.0.0.1:{port}", "--root", RepositoryRoot, "--state", state,
                     "--build-script", buildScript, "--secret-variables", SecretVariable, "--cancel-grace", "20",
                     "--rate-limit", "100000" }.Concat(extra))
            start.ArgumentList.Add(a);
        start.Environment[SecretVariable] = SecretValue;
        start.Environment["SLACK_SIGNING_SECRET"] = Hooks.SlackSecret;
        start.Environment["GITHUB_WEBHOOK_SECRET"] = Hooks.GitHubSecret;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RunningServer(process, state, port, buildScript);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if ((await server.Client.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited) { }
            if (process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"the server did not answer on 127.0.0.1:{port} (exited: {process.HasExited})");
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Mints a token through the server's own command, as <c>./build.sh ServeToken</c> does.</summary>
    public async Task<string> MintAsync(string name, string scopes, string? slackUser = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Assembly, "mint-token", "--state", State, "--name", name, "--scopes", scopes }) start.ArgumentList.Add(a);
        if (slackUser is not null) { start.ArgumentList.Add("--slack-user"); start.ArgumentList.Add(slackUser); }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"mint-token exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        return output.Trim();
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    public async Task<HttpResponseMessage> SubmitAsync(string token, string environment, params string[] targets) =>
        await Client.SendAsync(Request(HttpMethod.Post, "/api/jobs", token, new { targets, environment }));

    public async Task<string> SubmitIdAsync(string token, string environment, params string[] targets)
    {
        var response = await SubmitAsync(token, environment, targets);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public async Task<string> StatusAsync(string token, string id)
    {
        var response = await Client.SendAsync(Request(HttpMethod.Get, $"/api/jobs/{id}", token));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()!;
    }

    public async Task<string> WaitForStatusAsync(string token, string id, Func<string, bool> done, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var status = await StatusAsync(token, id);
            if (done(status) || DateTime.UtcNow > deadline) return status;
            await Task.Delay(100);
        }
    }

    /// <summary>Reads the log's server-sent events until <c>event: end</c>: the lines, and the final status.</summary>
    public async Task<(List<string> Lines, string End)> ReadLogAsync(string token, string id)
    {
        using var response = await Client.SendAsync(Request(HttpMethod.Get, $"/api/jobs/{id}/log", token),
            HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<string>();
        string? eventName = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) eventName = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                if (eventName == "end") return (lines, line[6..]);
                lines.Add(line[6..]);
            }
        }
        return (lines, "");
    }

    /// <summary>SIGKILL: the server gets no chance to tidy up, as in a crash.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
