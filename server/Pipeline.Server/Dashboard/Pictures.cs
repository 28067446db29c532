using Pipeline.Server.Status;
using System.Globalization;
using System.Text;
using static Pipeline.Server.Dashboard.Html;

namespace Pipeline.Server.Dashboard;

/// <summary>
/// The dashboard's pictures, inline SVG drawn on the server (no script, no front-end build): the rollout timeline of the deploy
/// audit records (one row per group, one bar per deploy, its length the deploy's duration, its colour the result), and the
/// backup sets' sizes over time and the age of each set's last snapshot.
/// </summary>
public static class Pictures
{
    private const int Width = 900, Left = 110, Right = 20;
    private static readonly string[] Palette = ["#2563eb", "#17803d", "#9a6700", "#7c3aed", "#b42318", "#0e7490"];

    public static string RolloutTimeline(IReadOnlyList<DeployView> deploys, DateTimeOffset now)
    {
        if (deploys.Count == 0) return "<p class=\"muted\">No deploy recorded yet.</p>";
        var groups = deploys.Select(d => d.Group).Distinct().Order(StringComparer.Ordinal).ToList();
        var from = deploys.Min(d => d.StartedAt);
        var to = Max(deploys.Max(d => d.StartedAt.AddSeconds(d.Seconds)), from.AddMinutes(1));
        var height = 30 + groups.Count * 28;
        var svg = Open("rollout-timeline", "Rollout timeline", height);
        foreach (var (group, row) in groups.Select((g, i) => (g, i)))
        {
            var y = 10 + row * 28;
            svg.Append($"<text x=\"4\" y=\"{y + 15}\" font-size=\"12\">{E(group)}</text>");
            svg.Append($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y + 10}\" y2=\"{y + 10}\" stroke=\"#e3e6eb\"/>");
            foreach (var d in deploys.Where(d => d.Group == group))
            {
                var x = X(d.StartedAt, from, to);
                var w = Math.Max(4, X(d.StartedAt.AddSeconds(d.Seconds), from, to) - x);
                var colour = d.Result switch { "succeeded" => "#17803d", "rolled back" => "#b42318", _ => "#9a6700" };
                svg.Append($"<rect class=\"deploy\" x=\"{F(x)}\" y=\"{y}\" width=\"{F(w)}\" height=\"20\" rx=\"3\" fill=\"{colour}\">")
                    .Append($"<title>{E(d.Deploy)} {E(d.Result)}: {E(d.StartedAt.ToString("u"))}, ")
                    .Append($"{d.Seconds:0.#}s, {d.Changes} change(s), ")
                    .Append($"by {E(d.User)}</title></rect>");
            }
        }
        Axis(svg, from, to, height - 14);
        return svg.Append("</svg>").ToString();
    }

    public static string BackupSizes(IReadOnlyList<BackupPoint> points)
    {
        if (points.Count == 0) return "<p class=\"muted\">No snapshot seen yet.</p>";
        const int height = 190;
        var from = points.Min(p => p.At);
        var to = Max(points.Max(p => p.At), from.AddMinutes(1));
        var top = Math.Max(1, points.Max(p => p.Bytes));
        var svg = Open("backup-sizes", "Backup sizes over time", height);
        svg.Append($"<text x=\"4\" y=\"16\" font-size=\"11\">{E(Bytes(top))}</text>")
            .Append($"<text x=\"4\" y=\"{height - 24}\" font-size=\"11\">0</text>");
        foreach (var (set, i) in points.Select(p => p.Set).Distinct().Order(StringComparer.Ordinal).Select((s, i) => (s, i)))
        {
            var colour = Palette[i % Palette.Length];
            var series = points.Where(p => p.Set == set).OrderBy(p => p.At).ToList();
            var coords = series.Select(p => $"{F(X(p.At, from, to))},{F(Y(p.Bytes, top, height))}");
            svg.Append($"<polyline class=\"set\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" ")
                .Append($"points=\"{string.Join(' ', coords)}\">")
                .Append($"<title>{E(set)}</title></polyline>");
            foreach (var p in series)
                svg.Append($"<circle cx=\"{F(X(p.At, from, to))}\" cy=\"{F(Y(p.Bytes, top, height))}\" r=\"3\" fill=\"{colour}\">")
                    .Append($"<title>{E(set)}: {E(Bytes(p.Bytes))} at {E(p.At.ToString("u"))}</title></circle>");
            svg.Append($"<text x=\"{Width - Right - 140}\" y=\"{16 + i * 14}\" font-size=\"11\" fill=\"{colour}\">{E(set)}</text>");
        }
        Axis(svg, from, to, height - 14);
        return svg.Append("</svg>").ToString();
    }

    /// <summary>One bar per set: the age of its last snapshot, red past <paramref name="maxAge"/> (the alert rules' default).</summary>
    public static string BackupAges(IReadOnlyList<BackupView> backups, DateTimeOffset now, TimeSpan maxAge)
    {
        var aged = backups.Where(b => b.LastSnapshot is not null).ToList();
        if (aged.Count == 0) return "";
        var height = 20 + aged.Count * 24;
        var longest = Math.Max(maxAge.TotalHours * 1.2, aged.Max(b => (now - b.LastSnapshot!.Value).TotalHours));
        var svg = Open("backup-ages", "Age of each set's last snapshot", height);
        foreach (var (b, i) in aged.Select((b, i) => (b, i)))
        {
            var hours = Math.Max(0, (now - b.LastSnapshot!.Value).TotalHours);
            var w = Math.Max(2, hours / longest * (Width - Left - Right - 80));
            var y = 6 + i * 24;
            svg.Append($"<text x=\"4\" y=\"{y + 13}\" font-size=\"12\">{E(b.Set)}</text>")
                .Append($"<rect class=\"age\" x=\"{Left}\" y=\"{y}\" width=\"{F(w)}\" height=\"16\" ")
                .Append($"fill=\"{(hours > maxAge.TotalHours ? "#b42318" : "#17803d")}\">")
                .Append($"<title>{E(b.Set)}: {hours:0.#}h old</title></rect>")
                .Append($"<text x=\"{F(Left + w + 6)}\" y=\"{y + 13}\" font-size=\"11\">{hours:0.#}h</text>");
        }
        var limit = Left + maxAge.TotalHours / longest * (Width - Left - Right - 80);
        svg.Append($"<line x1=\"{F(limit)}\" x2=\"{F(limit)}\" y1=\"0\" y2=\"{height}\" stroke=\"#6b7280\" stroke-dasharray=\"4 3\">")
            .Append($"<title>{maxAge.TotalHours:0}h</title></line>");
        return svg.Append("</svg>").ToString();
    }

    public static string Bytes(double bytes) =>
        bytes >= 1 << 30 ? $"{bytes / (1 << 30):0.#} GiB" : bytes >= 1 << 20 ? $"{bytes / (1 << 20):0.#} MiB"
        : bytes >= 1 << 10 ? $"{bytes / (1 << 10):0.#} KiB" : $"{bytes:0} B";

    private static StringBuilder Open(string id, string title, int height) =>
        new StringBuilder().Append($"<svg id=\"{id}\" role=\"img\" aria-label=\"{E(title)}\" xmlns=\"http://www.w3.org/2000/svg\" ")
            .Append($"viewBox=\"0 0 {Width} {height}\" width=\"100%\" style=\"max-width:{Width}px;background:#fff\">");

    private static void Axis(StringBuilder svg, DateTimeOffset from, DateTimeOffset to, int y) =>
        svg.Append($"<text x=\"{Left}\" y=\"{y + 10}\" font-size=\"11\" fill=\"#6b7280\">{E(from.ToString("yyyy-MM-dd HH:mm"))}</text>")
            .Append($"<text x=\"{Width - Right}\" y=\"{y + 10}\" font-size=\"11\" fill=\"#6b7280\" text-anchor=\"end\">")
            .Append($"{E(to.ToString("yyyy-MM-dd HH:mm"))}</text>");

    private static double X(DateTimeOffset t, DateTimeOffset from, DateTimeOffset to) =>
        Left + (t - from).TotalSeconds / Math.Max(1, (to - from).TotalSeconds) * (Width - Left - Right);

    private static double Y(double bytes, double top, int height) => 10 + (1 - bytes / top) * (height - 44);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
