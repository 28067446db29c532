using Pipeline.Tools.Haproxy;

namespace Pipeline.Deploying.Canary;

/// <summary>
/// Collects HAProxy's request lines of one backend as they arrive and sorts them to canary or baseline by server name; a
/// step's analysis window starts with <see cref="Reset"/>. Thread-safe: the log listener adds from its own task.
/// </summary>
public sealed class SampleCollector(string backend)
{
    private readonly Lock _gate = new();
    private List<RequestSample> _canary = [], _baseline = [];
    private IReadOnlySet<string> _canaryServers = new HashSet<string>(), _baselineServers = new HashSet<string>();

    /// <summary>Every request of the whole deploy, by role (the report's totals).</summary>
    public int AllRequests { get; private set; }

    public void Add(HaproxyRequestLog line)
    {
        if (line.Backend != backend) return;
        var sample = new RequestSample(line.Backend, line.Server, line.Status, line.ResponseMs);
        lock (_gate)
        {
            AllRequests++;
            if (_canaryServers.Contains(line.Server)) _canary.Add(sample);
            else if (_baselineServers.Contains(line.Server)) _baseline.Add(sample);
        }
    }

    /// <summary>Starts a new window for these servers.</summary>
    public void Reset(IEnumerable<string> canaryServers, IEnumerable<string> baselineServers)
    {
        lock (_gate)
        {
            _canaryServers = canaryServers.ToHashSet();
            _baselineServers = baselineServers.ToHashSet();
            _canary = [];
            _baseline = [];
        }
    }

    public SampleSet Snapshot()
    {
        lock (_gate) return new SampleSet(_canary.ToList(), _baseline.ToList());
    }
}
