using System.Xml.Linq;

namespace Pipeline.Testing;

/// <summary>Counts read from the TRX files <c>dotnet test</c> writes, and the tests that failed.</summary>
public sealed record TestTotals(int Passed, int Failed, int Skipped)
{
    /// <summary>Each failed test as "name: first line of its message", so the end of a long log names them.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    public string ClosingLine => $"{Passed} passed, {Failed} failed" + (Skipped > 0 ? $", {Skipped} skipped" : "");

    public static TestTotals FromTrx(IEnumerable<string> files)
    {
        var totals = new TestTotals(0, 0, 0);
        foreach (var file in files)
        {
            var document = XDocument.Load(file);
            var counters = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
            if (counters is null) continue;
            int Count(string name) => int.TryParse(counters.Attribute(name)?.Value, out var n) ? n : 0;
            totals = totals with
            {
                Passed = totals.Passed + Count("passed"),
                Failed = totals.Failed + Count("failed") + Count("error") + Count("timeout") + Count("aborted"),
                Skipped = totals.Skipped + Count("notExecuted"),
                Failures = [.. totals.Failures, .. FailuresIn(document)],
            };
        }
        return totals;
    }

    static IEnumerable<string> FailuresIn(XDocument document) =>
        document.Descendants()
            .Where(e => e.Name.LocalName == "UnitTestResult" && (string?)e.Attribute("outcome") is "Failed" or "Error" or "Timeout")
            .Select(e =>
            {
                var message = e.Descendants().FirstOrDefault(m => m.Name.LocalName == "Message")?.Value ?? "";
                var firstLine = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .FirstOrDefault() ?? "(no message)";
                return $"{(string?)e.Attribute("testName")}: {firstLine}";
            });
}
