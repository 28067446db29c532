using Pipeline.Engine;
using Pipeline.Engine.Logging;

namespace Pipeline.Tests.Engine;

/// <summary>What one in-memory build run left behind: exit code, console text, log entries, its root folder.</summary>
public sealed record BuildRun(int ExitCode, string Output, IReadOnlyList<LogEntry> Entries, string Raw, AbsolutePath Root)
{
    /// <summary>Console output, log entries, and every file the engine wrote (.nuke/temp/build.log, artifacts/plan.html).</summary>
    public string EverythingWritten()
    {
        var files = new[] { Root / ".nuke" / "temp", Root / "artifacts" }.Where(d => Directory.Exists(d))
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories)).Select(File.ReadAllText);
        return string.Join("\n", files.Prepend(Raw).Prepend(string.Join("\n", Entries.Select(e => e.Message))).Prepend(Output));
    }

    public string BuildLog => File.ReadAllText(Root / ".nuke" / "temp" / "build.log");

    /// <summary>The summary table's row of a target (the line starting with its name), trimmed.</summary>
    public string SummaryRow(string target) =>
        Output[Output.LastIndexOf("Target", StringComparison.Ordinal)..].Split('\n')
            .Select(l => l.TrimEnd()).First(l => l.StartsWith(target + " ", StringComparison.Ordinal));
}

/// <summary>Collects what the engine sends to a sink, for assertions.</summary>
public sealed class ListSink : ILogSink
{
    private readonly object _gate = new();
    public List<LogEntry> Entries { get; } = [];
    public System.Text.StringBuilder Raw { get; } = new();
    public List<string> Events { get; } = [];

    public void Write(LogEntry entry) { lock (_gate) Entries.Add(entry); }
    public void BeginTarget(string target) { lock (_gate) Events.Add("begin " + target); }
    public void EndTarget(string target) { lock (_gate) Events.Add("end " + target); }
    public void WriteRaw(string text) { lock (_gate) Raw.Append(text); }
}

/// <summary>Runs a build class in memory, in its own temporary root holding <c>.nuke/</c>.</summary>
public static class EngineHarness
{
    public static AbsolutePath NewRoot()
    {
        var root = new AbsolutePath(Path.Combine(Path.GetTempPath(), "pipeline-engine-" + Guid.NewGuid().ToString("N")[..12]));
        Directory.CreateDirectory(root / ".nuke");
        return root;
    }

    public static async Task<BuildRun> RunAsync<T>(
        T build, Func<T, Target> defaultTarget, string[] arguments,
        IReadOnlyDictionary<string, string>? environment = null, AbsolutePath? root = null,
        CancellationToken interrupt = default, bool terminal = false) where T : PipelineBuild
    {
        root ??= NewRoot();
        var output = new StringWriter();
        var sink = new ListSink();
        var host = new BuildHost(new BuildHostOptions
        {
            Arguments = arguments,
            Environment = environment ?? new Dictionary<string, string>(),
            Root = root,
            Output = output,
            ExtraSinks = [sink],
            Interrupt = interrupt,
            IsTerminal = terminal,
        });
        var code = await host.RunAsync(build, b => defaultTarget((T)b));
        return new BuildRun(code, output.ToString(), sink.Entries, sink.Raw.ToString(), root);
    }

    /// <summary>Runs <c>new T()</c> with the given arguments; its default target is the property named "Default".</summary>
    public static Task<BuildRun> RunAsync<T>(params string[] arguments) where T : PipelineBuild, new() =>
        RunAsync(new T(), DefaultOf<T>(), arguments);

    public static Task<BuildRun> RunAsync<T>(T build, params string[] arguments) where T : PipelineBuild =>
        RunAsync(build, DefaultOf<T>(), arguments);

    public static Func<T, Target> DefaultOf<T>() =>
        b =>
            (Target)
                typeof(T)
                    .GetProperty(
                        "Default",
                        System.Reflection.BindingFlags.Instance
                            | System.Reflection.BindingFlags.Public
                            | System.Reflection.BindingFlags.NonPublic
                    )!
                    .GetValue(b)!;
}

/// <summary>A build that records the order its targets ran in.</summary>
public abstract class RecordingBuild : PipelineBuild
{
    public List<string> Ran { get; } = [];
    protected ITargetDefinition Records(ITargetDefinition d, string name) => d.Executes(() => { lock (Ran) Ran.Add(name); });
}
