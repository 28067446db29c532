using System.Globalization;
using System.Text;

namespace Heartbeat;

/// <summary>Renders the counters in the Prometheus text exposition format (version 0.0.4).</summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(RequestCounters counters, HeartbeatSettings settings)
    {
        var text = new StringBuilder();
        text.Append("# HELP heartbeat_build_info Version and instance of this heartbeat.\n");
        text.Append("# TYPE heartbeat_build_info gauge\n");
        text.Append($"heartbeat_build_info{{version=\"{Escape(settings.Version)}\",instance=\"{Escape(settings.Instance)}\"}} 1\n");

        text.Append("# HELP heartbeat_requests_total HTTP requests answered, by route and status code.\n");
        text.Append("# TYPE heartbeat_requests_total counter\n");
        foreach (var (route, status, count) in counters.Snapshot())
            text.Append($"heartbeat_requests_total{{route=\"{Escape(route)}\",status=\"{status}\"}} {count}\n");

        text.Append("# HELP heartbeat_notifications_accepted_total Notifications accepted by POST /notify.\n");
        text.Append("# TYPE heartbeat_notifications_accepted_total counter\n");
        text.Append($"heartbeat_notifications_accepted_total {counters.NotificationsAccepted}\n");

        text.Append("# HELP heartbeat_uptime_seconds Seconds since the process started.\n");
        text.Append("# TYPE heartbeat_uptime_seconds gauge\n");
        text.Append("heartbeat_uptime_seconds ")
            .Append(counters.Uptime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static string Escape(string value) =>
        value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
