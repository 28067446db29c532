using System.Globalization;
using System.Text;

namespace Pipeline.Clustering;

/// <summary>One observation of a container while waiting for health, or a readiness probe through the load balancer.</summary>
public sealed record HealthSample(DateTimeOffset At, string Service, string State, string Health, string Detail);

/// <summary>Everything seen while waiting for the cluster to be healthy, written to <c>logs/health.log</c> on failure.</summary>
public sealed class HealthHistory
{
    private readonly List<HealthSample> _samples = [];
    private readonly Dictionary<string, string> _last = new(StringComparer.Ordinal);

    public IReadOnlyList<HealthSample> Samples { get { lock (_samples) return [.. _samples]; } }

    /// <summary>Records a sample when the service's state changed since its previous one (keeps the history short).</summary>
    public void Add(HealthSample sample)
    {
        lock (_samples)
        {
            var key = $"{sample.State}/{sample.Health}/{sample.Detail}";
            if (_last.TryGetValue(sample.Service, out var previous) && previous == key) return;
            _last[sample.Service] = key;
            _samples.Add(sample);
        }
    }

    public string Render()
    {
        var text = new StringBuilder();
        foreach (var s in Samples)
            text.Append(
                CultureInfo.InvariantCulture,
                $"{s.At.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {s.Service,-12} {s.State,-10} {s.Health,-10} {s.Detail}\n"
            );
        return text.ToString();
    }
}
