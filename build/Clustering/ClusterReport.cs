using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Pipeline.Clustering;

/// <summary>What one check (or a phase such as <c>up</c> or readiness) came to.</summary>
public sealed record CheckResult(string Name, string Kind, bool Passed, TimeSpan Duration, string Message);

/// <summary>The outcome of one ClusterTest run; renders <c>report.md</c> and JUnit XML.</summary>
public sealed record ClusterReport(
    string Project, ComposeFlavor Flavor, DateTimeOffset StartedAt, TimeSpan Duration, IReadOnlyList<CheckResult> Results,
    string? Failure, IReadOnlyDictionary<string, string> Endpoints, string? LogsDirectory)
{
    public bool Passed => Failure is null && Results.All(r => r.Passed);

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Cluster test: {(Passed ? "passed" : "FAILED")}\n\n");
        md.Append(
            CultureInfo.InvariantCulture,
            $"- Project: `{Project}` (compose {(Flavor == ComposeFlavor.V2 ? "v2: docker compose" : "v1: docker-compose")})\n"
        );
        md.Append(CultureInfo.InvariantCulture, $"- Started: {StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, took {Seconds(Duration)}\n");
        md.Append(CultureInfo.InvariantCulture, $"- Checks: {Results.Count(r => r.Passed)} of {Results.Count} passed\n");
        foreach (var (name, url) in Endpoints) md.Append(CultureInfo.InvariantCulture, $"- {name}: {url}\n");
        if (Failure is not null) md.Append(CultureInfo.InvariantCulture, $"\n**Failure:** {Cell(Failure)}\n");
        if (LogsDirectory is not null)
            md.Append(CultureInfo.InvariantCulture, $"\nService logs and the health-check history: `{LogsDirectory}`\n");
        md.Append("\n| | Check | Kind | Time | Result |\n|---|---|---|---:|---|\n");
        foreach (var r in Results)
            md.Append(
                CultureInfo.InvariantCulture,
                $"| {(r.Passed ? "✅" : "❌")} | {Cell(r.Name)} | {r.Kind} | {Seconds(r.Duration)} | {Cell(r.Message)} |\n"
            );
        return md.ToString();
    }

    /// <summary>One test suite, one test case per check; a run that failed before its checks is one failing case.</summary>
    public string ToJUnit()
    {
        var cases = Results.Select(r => new XElement("testcase",
            new XAttribute("classname", $"cluster.{r.Kind}"), new XAttribute("name", r.Name), new XAttribute("time", Time(r.Duration)),
            r.Passed ? null : new XElement("failure", new XAttribute("message", FirstLine(r.Message)), r.Message))).ToList();
        if (Failure is not null && Results.All(r => r.Passed))
            cases.Add(
                new XElement(
                    "testcase",
                    new XAttribute("classname", "cluster.run"),
                    new XAttribute("name", "cluster run"),
                    new XAttribute("time", "0"),
                    new XElement("failure", new XAttribute("message", FirstLine(Failure)), Failure)
                )
            );
        var failures = cases.Count(c => c.Element("failure") is not null);
        var suite = new XElement("testsuite",
            new XAttribute("name", $"ClusterTest {Project}"), new XAttribute("tests", cases.Count), new XAttribute("failures", failures),
            new XAttribute("errors", 0), new XAttribute("time", Time(Duration)),
            new XAttribute("timestamp", StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)), cases);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite)).Declaration
            + "\n"
            + new XElement("testsuites", suite)
            + "\n";
    }

    private static string Time(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\r", "").Replace("\n", "<br>");
    private static string FirstLine(string text) => text.Split('\n')[0];
}
