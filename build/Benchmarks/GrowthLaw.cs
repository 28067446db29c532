using System.Globalization;
using System.Net;
using System.Text;

namespace Pipeline.Benchmarks;

/// <summary>
/// How a cost grows: measured points (x, milliseconds) against the law they should follow, <c>t = a + b·x</c> (x being
/// the batches rolled, the images rebuilt or the files checked), fitted robustly (<see cref="Fit"/>). A point more than
/// <see cref="Tolerance"/> away from the fitted line breaks the law and is flagged.
/// </summary>
public sealed record GrowthLaw(string Title, string XName, string Law, IReadOnlyList<(double X, double Ms)> Points)
{
    public const double Tolerance = 0.25;

    /// <summary>Theil–Sen: the median of the slopes between every two points, and the median intercept for it, so that one
    /// bad point does not bend the line the others follow (least squares would, and flag them all).</summary>
    public (double A, double B) Fit
    {
        get
        {
            var slopes = new List<double>();
            for (var i = 0; i < Points.Count; i++)
                for (var j = i + 1; j < Points.Count; j++)
                    if (Points[j].X != Points[i].X)
                        slopes.Add((Points[j].Ms - Points[i].Ms) / (Points[j].X - Points[i].X));
            var b = slopes.Count == 0 ? 0 : Median(slopes);
            return (Median(Points.Select(p => p.Ms - b * p.X).ToList()), b);
        }
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public double Predicted(double x) => Fit.A + Fit.B * x;

    /// <summary>The points further than the tolerance from the fitted line.</summary>
    public IReadOnlyList<(double X, double Ms)> Breaks =>
        Points.Where(p => Math.Abs(p.Ms - Predicted(p.X)) > Tolerance * Math.Max(1, Predicted(p.X))).ToList();

    public string Markdown(string svgFile)
    {
        var (a, b) = Fit;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"## {Title}").AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Law: {Law}. Fitted: t ≈ {a:0} ms + {b:0.###} ms × {XName}.").AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"| {XName} | measured | the law's value | off by |");
        sb.AppendLine("| ---: | ---: | ---: | ---: |");
        foreach (var (x, ms) in Points)
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {x:0.##} | {ms:0} ms | {Predicted(x):0} ms | {(ms - Predicted(x)) / Math.Max(1, Predicted(x)):+0%;-0%} |");
        sb.AppendLine();
        sb.AppendLine(Breaks.Count == 0
            ? $"Every point is within {Tolerance:0%} of the law."
            : "**Breaks the law**: " + string.Join(", ", Breaks.Select(p => string.Create(CultureInfo.InvariantCulture,
                $"{XName} {p.X:0.##} ({p.Ms:0} ms, the law says {Predicted(p.X):0} ms)"))) + ".");
        sb.AppendLine().AppendLine($"![{Title}]({svgFile})").AppendLine();
        return sb.ToString();
    }

    /// <summary>The points and the fitted line, as an SVG picture.</summary>
    public string Svg()
    {
        const int width = 560, height = 300, left = 60, right = 20, top = 36, bottom = 40;
        var maxX = Points.Max(p => p.X) * 1.05;
        var maxY = Math.Max(Points.Max(p => p.Ms), Predicted(maxX)) * 1.1;
        string X(double x) => (left + (width - left - right) * x / maxX).ToString("0.#", CultureInfo.InvariantCulture);
        string Y(double y) =>
            (height - bottom - (height - top - bottom) * Math.Max(0, y) / maxY).ToString("0.#", CultureInfo.InvariantCulture);
        var svg = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.AppendLine($"<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{WebUtility.HtmlEncode(Title)}</text>");
        svg.AppendLine($"<line x1=\"{left}\" y1=\"{Y(0)}\" x2=\"{width - right}\" y2=\"{Y(0)}\" stroke=\"#333\"/>");
        svg.AppendLine($"<line x1=\"{left}\" y1=\"{Y(0)}\" x2=\"{left}\" y2=\"{top}\" stroke=\"#333\"/>");
        svg.AppendLine($"<text x=\"{width / 2}\" y=\"{height - 8}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(XName)}</text>");
        svg.AppendLine(string.Create(CultureInfo.InvariantCulture, $"<text x=\"8\" y=\"{top + 4}\">{maxY / 1.1:0} ms</text>"));
        svg.AppendLine($"<line x1=\"{X(0)}\" y1=\"{Y(Predicted(0))}\" x2=\"{X(maxX)}\" y2=\"{Y(Predicted(maxX))}\" "
            + "stroke=\"#999\" stroke-dasharray=\"4 3\"/>");
        foreach (var (x, ms) in Points)
        {
            var broken = Breaks.Contains((x, ms));
            svg.AppendLine($"<circle cx=\"{X(x)}\" cy=\"{Y(ms)}\" r=\"5\" fill=\"{(broken ? "#c62828" : "#1769aa")}\"/>");
            svg.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"<text x=\"{X(x)}\" y=\"{Y(0)}\" dy=\"14\" text-anchor=\"middle\">{x:0.##}</text>"));
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
