using Pipeline.Engine.Logging;

namespace Pipeline.Engine;

/// <summary>
/// What one build run shares: its secrets, its log sinks and the target running in this async flow.
/// Tests run several builds at once, so the session flows with the async context instead of being global.
/// </summary>
public sealed class BuildSession
{
    private static readonly AsyncLocal<BuildSession?> CurrentSession = new();
    private static BuildSession Fallback = new([]);
    private readonly AsyncLocal<string?> _target = new();

    private ILogSink[] _sinks;

    public BuildSession(IEnumerable<ILogSink> sinks) => _sinks = [.. sinks];

    public static BuildSession Current => CurrentSession.Value ?? Fallback;

    public SecretMasker Secrets { get; } = new();

    /// <summary>
    /// The sinks, as one snapshot: the build adds its sinks while code running beside it (another test's build, a
    /// signal handler) may already be logging through this session, so the list is replaced, never changed in place.
    /// </summary>
    public IReadOnlyList<ILogSink> Sinks => Volatile.Read(ref _sinks);

    public void AddSinks(params IEnumerable<ILogSink> sinks)
    {
        ILogSink[] before, after;
        do
        {
            before = Volatile.Read(ref _sinks);
            after = [.. before, .. sinks];
        } while (Interlocked.CompareExchange(ref _sinks, after, before) != before);
    }
    public System.Collections.Concurrent.ConcurrentQueue<string> ClosingLines { get; } = new();
    public string? CurrentTarget { get => _target.Value; set => _target.Value = value; }

    /// <summary>Makes this the session of the current async flow (and of threads that have none): the build's own.</summary>
    public void Activate()
    {
        CurrentSession.Value = this;
        Fallback = this;
    }

    /// <summary>
    /// Makes this the session of the current async flow only: what a test capturing its own log lines wants, so that
    /// other tests running in parallel, which log outside any flow's session, do not write into its sink.
    /// </summary>
    public void ActivateForThisFlow() => CurrentSession.Value = this;

    /// <summary>
    /// Ends this session's turn as the fallback, so code logging outside any build afterwards (a test calling
    /// <c>LocalServiceManager</c> directly) does not write to this run's closed log file.
    /// </summary>
    public void Deactivate()
    {
        if (CurrentSession.Value == this) CurrentSession.Value = null;
        Interlocked.CompareExchange(ref Fallback, new BuildSession([]), this);
    }
}

/// <summary>Registers values found at run time as secrets of the running build.</summary>
public static class Secrets
{
    public static void Register(string? value) => BuildSession.Current.Secrets.Register(value);
    public static string Mask(string? text) => BuildSession.Current.Secrets.Mask(text);
}
