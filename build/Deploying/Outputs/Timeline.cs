using Pipeline.Deploying.Rolling;
using System.Globalization;
using System.Net;
using System.Text;

namespace Pipeline.Deploying.Outputs;

/// <summary>
/// A picture of one rollout from its journal: a row per instance, a bar from its replace (or rollback) to its ready,
/// coloured by phase (out of traffic: amber, starting: blue, in traffic again: green, failed: red). An SVG inside HTML.
/// </summary>
public static class Timeline
{
    public static string Render(string title, IReadOnlyList<JournalEntry> entries)
    {
        var start = entries.Count > 0 ? entries[0].At : DateTimeOffset.UtcNow;
        var end = entries.Count > 0 ? entries[^1].At : start;
        var total = Math.Max(0.5, (end - start).TotalSeconds);
        var instances = entries
            .Where(e => e.Instance is not null)
            .Select(e => e.Instance!)
            .Distinct()
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        const int left = 90, width = 720, row = 26;
        double X(DateTimeOffset at) => left + (at - start).TotalSeconds / total * width;
        var svg = new StringBuilder().Append(
            CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 20}" height="{instances.Count * row + 40}" font-family="sans-serif" font-size="12">"""
        );
        for (var i = 0; i < instances.Count; i++)
        {
            var y = 10 + i * row;
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="4" y="{y + 15}">{WebUtility.HtmlEncode(instances[i])}</text>""");
            var mine = entries.Where(e => e.Instance == instances[i]).ToList();
            for (var j = 0; j < mine.Count - 1; j++)
            {
                var colour = mine[j].Step switch
                {
                    "replace" or "rollback" or "drained" => "#f0ad4e",
                    "stopped" or "started" => "#5bc0de",
                    "healthy" => "#5cb85c",
                    "failed" => "#d9534f",
                    _ => null,
                };
                if (colour is null) continue;
                var x = X(mine[j].At);
                svg.Append(
                    CultureInfo.InvariantCulture,
                    $"""<rect x="{x:0.#}" y="{y}" width="{Math.Max(1, X(mine[j + 1].At) - x):0.#}" height="18" fill="{colour}"><title>{mine[j].Step} → {mine[j + 1].Step}</title></rect>"""
                );
            }
            foreach (var failed in mine.Where(e => e.Step == "failed"))
                svg.Append(
                    CultureInfo.InvariantCulture,
                    $"""<rect x="{X(failed.At):0.#}" y="{y}" width="4" height="18" fill="#d9534f"><title>{WebUtility.HtmlEncode(failed.Detail ?? "")}</title></rect>"""
                );
        }
        svg.Append(
            CultureInfo.InvariantCulture,
            $"""<text x="{left}" y="{instances.Count * row + 32}">0 s</text><text x="{left + width - 40}" y="{instances.Count * row + 32}">{total:0.0} s</text></svg>"""
        );
        return $"""
            <!doctype html><html><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title></head>
            <body><h1>{WebUtility.HtmlEncode(
                title
            )}</h1><p>amber: out of traffic · blue: stopping/starting · green: healthy, going into traffic · red: failed</p>
            {svg}
            </body></html>
            """;
    }
}
