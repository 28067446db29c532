using Pipeline.Engine;
using Pipeline.Engine.Logging;

namespace Pipeline.IntegrationTests.Packaging;

/// <summary>Collects the build log of code run inside <see cref="RunAsync{T}"/>.</summary>
internal sealed class CapturedLog : ILogSink
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }

    public void Write(LogEntry entry) { lock (_lines) _lines.Add(entry.Message); }

    public async Task<T> RunAsync<T>(Func<Task<T>> action)
    {
        var session = new BuildSession([this]);
        session.Activate();
        try { return await action(); }
        finally { session.Deactivate(); }
    }
}
