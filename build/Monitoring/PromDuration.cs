using System.Globalization;

namespace Pipeline.Monitoring;

/// <summary>A <see cref="TimeSpan"/> as Prometheus writes durations: the largest whole unit (<c>26h</c>, <c>90s</c>, <c>1d</c>).</summary>
public static class PromDuration
{
    public static string Format(TimeSpan value)
    {
        var seconds = (long)value.TotalSeconds;
        if (seconds == 0) return "0s";
        foreach (var (unit, size) in new[] { ("d", 86_400L), ("h", 3_600L), ("m", 60L) })
            if (seconds % size == 0) return (seconds / size).ToString(CultureInfo.InvariantCulture) + unit;
        return seconds.ToString(CultureInfo.InvariantCulture) + "s";
    }

    /// <summary>Whole seconds, for comparisons in PromQL (<c>time() - x &gt; 93600</c>).</summary>
    public static string Seconds(TimeSpan value) => ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
