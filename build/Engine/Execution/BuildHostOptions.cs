using System.Collections;

namespace Pipeline.Engine;

/// <summary>Everything a run takes from the outside world, so tests can run builds in memory.</summary>
public sealed record BuildHostOptions
{
    public required IReadOnlyList<string> Arguments { get; init; }
    public required IReadOnlyDictionary<string, string> Environment { get; init; }
    public AbsolutePath? Root { get; init; }
    public TextWriter Output { get; init; } = Console.Out;
    public bool IsTerminal { get; init; }
    /// <summary>Install SIGINT/SIGTERM handlers (the real program does; tests cancel with <see cref="Interrupt"/>).</summary>
    public bool HandleSignals { get; init; }
    /// <summary>Cancelled when the run is interrupted (tests use it to simulate Ctrl-C).</summary>
    public CancellationToken Interrupt { get; init; }
    public Logging.ILogSink[] ExtraSinks { get; init; } = [];

    public static BuildHostOptions FromProcess(string[] args)
    {
        var env = new Dictionary<string, string>();
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            env[(string)e.Key] = (string?)e.Value ?? "";
        return new BuildHostOptions
        {
            Arguments = args,
            Environment = env,
            IsTerminal = !Console.IsOutputRedirected && !env.ContainsKey("NO_COLOR") && env.GetValueOrDefault("TERM") != "dumb",
            HandleSignals = true,
        };
    }
}
