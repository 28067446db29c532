using Pipeline.Engine.Graph;
using System.Net;
using System.Text;

namespace Pipeline.Engine.Reports;

/// <summary>
/// <c>--plan</c>: the order as text, and <c>artifacts/plan.html</c>, one self-contained page that draws the whole
/// target graph (dependency, ordering and trigger edges) in layers, with the chosen plan highlighted and numbered.
/// </summary>
public static class PlanPage
{
    private const int BoxWidth = 170, BoxHeight = 34, ColumnGap = 70, RowGap = 18, Margin = 20;

    public static string Text(IReadOnlyList<ExecutableTarget> plan)
    {
        var sb = new StringBuilder("Execution plan:").AppendLine();
        for (var i = 0; i < plan.Count; i++)
        {
            var t = plan[i];
            var note = t.Status == TargetStatus.Skipped ? $"  (skipped: {t.Reason})" : "";
            sb.AppendLine($"  {i + 1,2}. {t.Name}{note}");
        }
        return sb.ToString();
    }

    public static string Render(TargetGraph graph, IReadOnlyList<ExecutableTarget> plan)
    {
        var layer = Layers(graph);
        var columns = graph.Targets.GroupBy(t => layer[t]).OrderBy(g => g.Key).ToList();
        var position = new Dictionary<ExecutableTarget, (int X, int Y)>();
        foreach (var column in columns)
        {
            var row = 0;
            foreach (var t in column.OrderBy(t => t.Index))
                position[t] = (Margin + column.Key * (BoxWidth + ColumnGap), Margin + row++ * (BoxHeight + RowGap));
        }
        var width = position.Values.Max(p => p.X) + BoxWidth + Margin;
        var height = position.Values.Max(p => p.Y) + BoxHeight + Margin;

        var svg = new StringBuilder();
        svg.AppendLine(
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">"
        );
        svg.AppendLine(
            "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
            + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>"
        );
        foreach (var t in graph.Targets)
        {
            foreach (var d in t.Dependencies) Edge(svg, position[d], position[t], "dependency");
            foreach (var a in t.OrderedAfter) Edge(svg, position[a], position[t], "ordering");
            foreach (var x in t.Triggered) Edge(svg, position[t], position[x], "trigger");
        }
        foreach (var t in graph.Targets)
        {
            var (x, y) = position[t];
            var index = plan.ToList().IndexOf(t);
            var css = index < 0 ? "node" : t.Status == TargetStatus.Skipped ? "node planned skipped" : "node planned";
            var label = index < 0 ? t.Name : $"{index + 1}. {t.Name}";
            svg.AppendLine($"<g class=\"{css}\"><title>{Html(t.Description)}</title>" +
                           $"<rect x=\"{x}\" y=\"{y}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"6\"/>" +
                           $"<text x=\"{x + BoxWidth / 2}\" y=\"{y + BoxHeight / 2 + 5}\" text-anchor=\"middle\">{Html(label)}</text></g>");
        }
        svg.AppendLine("</svg>");

        var list = string.Concat(
            plan.Select(t =>
                $"<li>{Html(t.Name)}{(t.Status == TargetStatus.Skipped ? $" <em>(skipped: {Html(t.Reason ?? "")})</em>" : "")} — "
                + $"{Html(t.Description)}</li>"
            )
        );
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Pipeline plan</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 24px; color: #222; }
            .node rect { fill: #f4f4f4; stroke: #999; }
            .node text { font-size: 13px; fill: #666; }
            .planned rect { fill: #dff0ff; stroke: #1769aa; stroke-width: 2; }
            .planned text { fill: #0b3d66; font-weight: 600; }
            .skipped rect { fill: #fff6d6; stroke: #b58900; stroke-dasharray: 4 3; }
            path.dependency { stroke: #555; fill: none; }
            path.ordering { stroke: #888; fill: none; stroke-dasharray: 5 4; }
            path.trigger { stroke: #c2185b; fill: none; stroke-dasharray: 2 3; }
            .legend span { margin-right: 18px; }
            </style></head><body>
            <h1>Execution plan</h1>
            <p class="legend"><span>── dependency</span><span style="color:#888">- - ordering (after/before)</span><span style="color:#c2185b">··· trigger</span><span style="color:#1769aa">■ in this plan</span></p>
            {{svg}}
            <ol>{{list}}</ol>
            </body></html>
            """;
    }

    private static void Edge(StringBuilder svg, (int X, int Y) from, (int X, int Y) to, string kind)
    {
        var (x1, y1) = (from.X + BoxWidth, from.Y + BoxHeight / 2);
        var (x2, y2) = (to.X, to.Y + BoxHeight / 2);
        if (x2 <= x1) (x1, x2) = (from.X + BoxWidth / 2, to.X + BoxWidth / 2); // same column: a loop to the side
        var mid = (x1 + x2) / 2;
        svg.AppendLine($"<path class=\"{kind}\" d=\"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}\" marker-end=\"url(#arrow)\"/>");
    }

    /// <summary>Column of each target: the longest chain of predecessors before it.</summary>
    private static Dictionary<ExecutableTarget, int> Layers(TargetGraph graph)
    {
        var layer = new Dictionary<ExecutableTarget, int>();
        int Of(ExecutableTarget t)
        {
            if (layer.TryGetValue(t, out var l)) return l;
            var preds = TargetGraph.Predecessors(t, graph.Targets).ToList();
            return layer[t] = preds.Count == 0 ? 0 : preds.Max(Of) + 1;
        }
        foreach (var t in graph.Targets) Of(t);
        return layer;
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
