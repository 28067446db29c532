using CliWrap;
using CliWrap.Buffered;
using Pipeline.Deploying.Haproxy;
using Pipeline.Deploying.Providers;
using Pipeline.Engine.Services;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Haproxy;
using Pipeline.Tools.Process;
using System.Diagnostics;
using System.Globalization;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// One deploy target for one test: a throw-away repository root (environments/test-*.yml, artifacts/images.json,
/// .nuke/temp) with its own HAProxy on a block of loopback ports, and the build run as a real process against it.
/// Everything it starts is removed by label and pid on dispose.
/// </summary>
public sealed class TestEnvironment : IAsyncDisposable
{
    private readonly DeployFixture _fixture;
    private readonly LocalServiceManager _services;
    private readonly LocalService _haproxy;

    /// <param name="outputs">More lines under the group's <c>outputs:</c> (indented by 6 spaces), e.g. an etcd section.</param>
    /// <param name="logTarget">A UDP host:port the HAProxy sends its request log to (canary analysis).</param>
    /// <param name="blueGreen">Group keys for <c>blue_green: haproxy</c> (indented by 4 spaces): the HAProxy then has web_blue and
    /// web_green behind a colour map.</param>
    public TestEnvironment(DeployFixture fixture, string name, int portBlock, int count, string rolling, string outputs = "",
        string? logTarget = null, string? blueGreen = null)
    {
        _fixture = fixture;
        Name = name;
        Root = Directory.CreateTempSubdirectory($"{name}-").FullName;
        FrontendPort = portBlock;
        RuntimePort = portBlock + 1;
        Count = count;
        Directory.CreateDirectory(Path.Combine(Root, ".nuke", "temp"));
        Directory.CreateDirectory(Path.Combine(Root, "environments"));
        File.WriteAllText(Path.Combine(Root, "environments", $"{name}.yml"), $"""
            lock:
              ttl: 30s
              directory: .nuke/temp/locks
            groups:
              web:
                provider: docker
                image: heartbeat
                count: {count}
                ports:
                  container: 8080
                  host_base: {portBlock + 2}
                health:
                  path: /heartbeat
                  interval: 200ms
                  timeout: 1s
                  healthy_threshold: 2
                  unhealthy_threshold: 3
                  start_timeout: 20s
                rolling:
            {rolling}
                load_balancer:
                  haproxy:
                    socket: .nuke/temp/haproxy/admin.sock
                    backend: web
                outputs:
                  file_sd: artifacts/deploy/{name}-web.file_sd.json
            {outputs}
            {blueGreen ?? ""}
            """);
        _services = new LocalServiceManager(new Pipeline.Engine.AbsolutePath(Path.Combine(Root, ".nuke", "temp", "services")));
        _haproxy = HaproxyService.Spec(new(Path.Combine(Root, ".nuke", "temp", "haproxy"), FrontendPort, RuntimePort, ["web"])
        {
            LogTarget = logTarget,
            Colours = blueGreen is not null,
        });
    }

    /// <summary>A build run's whole output, for assertion messages.</summary>
    public static string Output(CliWrap.Buffered.BufferedCommandResult r) => r.StandardOutput + r.StandardError;

    public string Name { get; }
    public string Root { get; }
    public int FrontendPort { get; }
    public int RuntimePort { get; }
    public int Count { get; }
    public HaproxyRuntimeApi Api => new($"127.0.0.1:{RuntimePort}");
    public string JournalPath => Path.Combine(Root, ".nuke", "temp", "deploy", Name, "web.journal.jsonl");

    public async Task StartAsync() => await _services.StartAsync(_haproxy, CancellationToken.None);

    /// <summary>What artifacts/images.json says the heartbeat image is (a local image id: no registry in these tests).</summary>
    public void Publish(string imageId)
    {
        Directory.CreateDirectory(Path.Combine(Root, "artifacts"));
        File.WriteAllText(
            Path.Combine(Root, "artifacts", "images.json"),
            $$"""{"images":[{"name":"heartbeat","id":"{{imageId}}","inputHash":"{{imageId[7..]}}","tags":[]}]}"""
        );
    }

    /// <summary>The build as a user runs it: <c>_build.dll &lt;args&gt; --environment &lt;name&gt; --skip</c> (only the named target) in
    /// this root.</summary>
    public Command Build(params string[] arguments) => BuildIn(Root, Name, arguments);

    /// <summary>The build as a user runs it in <paramref name="root"/>, on <paramref name="environment"/>, only the named
    /// targets (<c>--skip</c>); its exit code is the caller's to judge.</summary>
    public static Command BuildIn(string root, string environment, IReadOnlyList<string> arguments) =>
        Cli.Wrap("dotnet")
            .WithArguments([
                Path.Combine(AppContext.BaseDirectory, "_build.dll"),
                .. arguments,
                "--environment",
                environment,
                "--no-logo",
                "--skip",
            ])
            .WithEnvironment("PIPELINE_ROOT", root)
            .WithWorkingDirectory(root)
            .WithValidation(CommandResultValidation.None);

    public async Task<BufferedCommandResult> RunAsync(params string[] arguments) => await Build(arguments).RunBufferedAsync();

    /// <summary>The image labels of the group's containers, by slot.</summary>
    public async Task<IReadOnlyList<string>> ImagesAsync()
    {
        var containers = await _fixture.Docker.ListContainersAsync([$"{DockerProvider.EnvironmentLabel}={Name}"], CancellationToken.None);
        return containers
            .Where(c => c.State == "running")
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Labels!["pipeline.image"])
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        var containers = await _fixture.Docker.ListContainersAsync([$"{DockerProvider.EnvironmentLabel}={Name}"], CancellationToken.None);
        foreach (var c in containers) await _fixture.Docker.RemoveContainerAsync(c.Id, CancellationToken.None);
        await _services.StopAllAsync(CancellationToken.None);
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Requests through HAProxy's frontend from a few loopback clients until stopped; counts what failed.</summary>
public sealed class LoadLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private int _ok, _failed;
    public List<string> Failures { get; } = [];

    public LoadLoop(int port, int clients = 4, string path = "/heartbeat")
    {
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        _workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}", _stop.Token);
                    if (response.IsSuccessStatusCode) Interlocked.Increment(ref _ok);
                    else Fail($"{(int)response.StatusCode}");
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
                catch (Exception e) { Fail(e.Message); }
            }
        })).ToArray();
    }

    private void Fail(string why)
    {
        Interlocked.Increment(ref _failed);
        lock (Failures) if (Failures.Count < 20) Failures.Add(why);
    }

    public int Succeeded => _ok;
    public int Failed => _failed;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }
}
