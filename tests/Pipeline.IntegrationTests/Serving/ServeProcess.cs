using System.Diagnostics;
using System.Text;

namespace Pipeline.IntegrationTests.Serving;

/// <summary>
/// The control plane as <c>./build.sh Serve</c> starts it (<c>dotnet Pipeline.Server.dll --root … --listen …</c>, from the server
/// project's own output, built with these tests), over a throw-away repository root, its state in a temporary folder; and its
/// token command, as <c>./build.sh ServeToken</c> runs it. Killed on dispose.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServeProcess(Process process, string state, int port)
    {
        _process = process;
        State = state;
        Url = $"http://127.0.0.1:{port}";
    }

    public string State { get; }
    public string Url { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The server assembly of the tests' configuration: server/Pipeline.Server/bin/&lt;Debug|Release&gt;/net10.0/.</summary>
    public static string Assembly
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            return Path.Combine(Packaging.RepositoryRoot.Path, "server", "Pipeline.Server", "bin", configuration, "net10.0",
                "Pipeline.Server.dll");
        }
    }

    public static Task<ServeProcess> StartAsync(string root, string buildScript, int port, params string[] extra) =>
        StartAsync(root, buildScript, port, new Dictionary<string, string>(), extra);

    /// <summary>With <paramref name="environment"/> added to the server's environment (a token the jobs inherit).</summary>
    public static async Task<ServeProcess> StartAsync(string root, string buildScript, int port,
        IReadOnlyDictionary<string, string> environment, params string[] extra)
    {
        var state = Directory.CreateTempSubdirectory("pipeline-serve-browser-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments = [Assembly, "--root", root, "--listen", $"127.0.0.1:{port}", "--state", state, "--build-script", buildScript];
        foreach (var a in arguments.Concat(extra)) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var process = Process.Start(start)!;
        var server = new ServeProcess(process, state, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync($"{server.Url}/healthz")).IsSuccessStatusCode) return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"Serve did not answer on {server.Url}: {server.Output}");
            await Task.Delay(200);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Mints a token (<c>Pipeline.Server.dll mint-token</c>, what ServeToken runs); returns the token it prints once.</summary>
    public async Task<string> MintAsync(string name, string scopes)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Assembly, "mint-token", "--state", State, "--name", name, "--scopes", scopes }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"mint-token exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        return output.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(State, recursive: true); } catch (IOException) { }
    }
}
