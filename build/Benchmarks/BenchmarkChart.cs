using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Benchmarks;

/// <summary>
/// A simple horizontal bar chart (SVG) of the medians in a scenario page's table (<c>| way | runs | median | …</c>,
/// as <see cref="BenchmarkReport.Render"/> writes it): ours and the peer side by side.
/// </summary>
public static partial class BenchmarkChart
{
    public static string? FromPage(string title, string markdown)
    {
        var bars = MedianRow().Matches(markdown)
            .Select(m => (Label: m.Groups[1].Value.Replace("`", ""), Ms: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToList();
        return bars.Count < 2 ? null : Render(title, bars);
    }

    public static string Render(string title, IReadOnlyList<(string Label, double Ms)> bars)
    {
        const int width = 720, labelWidth = 330, barHeight = 22, gap = 10, top = 34;
        var max = bars.Max(b => b.Ms);
        var height = top + bars.Count * (barHeight + gap) + 10;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" "));
        svg.AppendLine("font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine($"<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{WebUtility.HtmlEncode(title)} (median, ms)</text>");
        for (var i = 0; i < bars.Count; i++)
        {
            var y = top + i * (barHeight + gap);
            var length = Math.Max(1, (width - labelWidth - 80) * bars[i].Ms / max);
            var colour = i % 2 == 0 ? "#1769aa" : "#999"; // rows come in pairs: ours, then the peer
            var label = bars[i].Label.Length > 52 ? bars[i].Label[..51] + "…" : bars[i].Label;
            svg.AppendLine(Invariant($"<text x=\"8\" y=\"{y + 15}\">{WebUtility.HtmlEncode(label)}</text>"));
            svg.AppendLine(
                Invariant($"<rect x=\"{labelWidth}\" y=\"{y}\" width=\"{length:0.#}\" height=\"{barHeight}\" fill=\"{colour}\"/>")
            );
            svg.AppendLine(Invariant($"<text x=\"{labelWidth + length + 6:0.#}\" y=\"{y + 15}\">{bars[i].Ms:0}</text>"));
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\| (.+?) \| \d+ \| (\d+(?:\.\d+)?) ms \|", RegexOptions.Multiline)]
    private static partial Regex MedianRow();
}
