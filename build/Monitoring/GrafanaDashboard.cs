using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Monitoring;

/// <summary>
/// One Grafana dashboard per group: requests, errors and latency of its HAProxy backend, its members' health (the
/// scrape's <c>up</c> and HAProxy's active servers), and its deploys and rollbacks as annotations from the deploy
/// freshness metrics. Every panel and annotation names the environment's one datasource.
/// </summary>
public static class GrafanaDashboard
{
    public sealed record Panel(string Title, string Unit, IReadOnlyList<(string Expression, string Legend)> Queries);

    public static IReadOnlyList<Panel> Panels(MonitoringDefinition m, MonitoredGroup group)
    {
        var env = $"env=\"{m.Environment}\"";
        var proxy = $"{env},proxy=\"{group.Backend ?? group.Name}\"";
        return
        [
            new("Requests", "reqps", [($"sum(rate({MetricNames.HaproxyRequests}{{{proxy}}}[1m]))", "requests/s")]),
            new("Errors", "reqps",
            [
                ($"sum by (code) (rate({MetricNames.HaproxyResponses}{{{proxy},code=~\"4xx|5xx\"}}[1m]))", "{{code}}"),
            ]),
            new("Latency", "s", [($"{MetricNames.HaproxyResponseTime}{{{proxy}}}", "average response time")]),
            new("Instance health", "short",
            [
                ($"{MetricNames.Up}{{{env},job=\"{group.Job(m.Environment)}\"}}", "{{instance}}"),
                ($"{MetricNames.HaproxyActiveServers}{{{proxy}}}", "active servers in HAProxy"),
            ]),
        ];
    }

    public static string Render(MonitoringDefinition m, MonitoredGroup group)
    {
        var datasource = new JsonObject { ["type"] = "prometheus", ["uid"] = GrafanaProvisioning.DatasourceUid(m.Environment) };
        var panels = new JsonArray();
        foreach (var (panel, index) in Panels(m, group).Select((p, i) => (p, i)))
        {
            var targets = new JsonArray();
            foreach (var (query, i) in panel.Queries.Select((q, i) => (q, i)))
                targets.Add((JsonNode)new JsonObject
                {
                    ["datasource"] = datasource.DeepClone(),
                    ["expr"] = query.Expression,
                    ["legendFormat"] = query.Legend,
                    ["refId"] = ((char)('A' + i)).ToString(),
                });
            panels.Add((JsonNode)new JsonObject
            {
                ["id"] = index + 1,
                ["type"] = "timeseries",
                ["title"] = panel.Title,
                ["datasource"] = datasource.DeepClone(),
                ["gridPos"] = new JsonObject { ["h"] = 8, ["w"] = 12, ["x"] = index % 2 * 12, ["y"] = index / 2 * 8 },
                ["fieldConfig"] = new JsonObject
                {
                    ["defaults"] = new JsonObject { ["unit"] = panel.Unit },
                    ["overrides"] = new JsonArray(),
                },
                ["targets"] = targets,
            });
        }
        var labels = $"env=\"{m.Environment}\",group=\"{group.Name}\"";
        var annotations = new JsonArray
        {
            Annotation("Deploys", $"changes({MetricNames.DeployLast}{{{labels}}}[2m]) > 0", "#3274D9", "deploy of {{group}}", datasource),
            Annotation("Rollbacks", $"increase({MetricNames.DeployRollbacks}{{{labels}}}[2m]) > 0", "#E02F44", "rollback of {{group}}",
                datasource),
        };
        var dashboard = new JsonObject
        {
            ["uid"] = $"pipeline-{m.Environment}-{group.Name}",
            ["title"] = $"{group.Name} ({m.Environment})",
            ["tags"] = new JsonArray("pipeline", m.Environment),
            ["timezone"] = "utc",
            ["schemaVersion"] = 39,
            ["version"] = 1,
            ["refresh"] = "30s",
            ["time"] = new JsonObject { ["from"] = "now-6h", ["to"] = "now" },
            ["annotations"] = new JsonObject { ["list"] = annotations },
            ["panels"] = panels,
        };
        return dashboard.ToJsonString(Options) + "\n";
    }

    private static readonly JsonSerializerOptions Options =
        new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonNode Annotation(string name, string expression, string colour, string title, JsonObject datasource) =>
        new JsonObject
        {
            ["name"] = name,
            ["datasource"] = datasource.DeepClone(),
            ["enable"] = true,
            ["iconColor"] = colour,
            ["expr"] = expression,
            ["step"] = "60s",
            ["titleFormat"] = title,
            ["tagKeys"] = "group",
            ["useValueForTime"] = false,
        };
}
