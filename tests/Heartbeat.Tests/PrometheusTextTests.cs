using FluentAssertions;
using System.Collections;
using Xunit;

namespace Heartbeat.Tests;

public class PrometheusTextTests
{
    [Fact]
    public void Renders_counters_sorted_with_help_and_type_lines()
    {
        var settings = HeartbeatSettings.Load(new Hashtable { ["HEARTBEAT_VERSION"] = "1.2.3+gabc", ["HEARTBEAT_INSTANCE"] = "web-1" },
            new Dictionary<string, string>());
        var counters = new RequestCounters(TimeProvider.System);
        counters.CountRequest("/stats", 401);
        counters.CountRequest("/heartbeat", 200);
        counters.CountRequest("/heartbeat", 200);
        counters.CountNotification();

        var lines = PrometheusText.Render(counters, settings).Split('\n');

        lines.Should().ContainInOrder(
            "# TYPE heartbeat_build_info gauge",
            "heartbeat_build_info{version=\"1.2.3+gabc\",instance=\"web-1\"} 1",
            "# TYPE heartbeat_requests_total counter",
            "heartbeat_requests_total{route=\"/heartbeat\",status=\"200\"} 2",
            "heartbeat_requests_total{route=\"/stats\",status=\"401\"} 1",
            "heartbeat_notifications_accepted_total 1");
        lines.Should().Contain(line => line.StartsWith("heartbeat_uptime_seconds "));
    }

    [Fact]
    public void Escapes_backslash_quote_and_newline_in_label_values()
    {
        PrometheusText.Escape("a\\b\"c\nd").Should().Be("a\\\\b\\\"c\\nd");
    }
}
