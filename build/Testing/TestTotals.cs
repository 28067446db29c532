using System.Xml.Linq;

namespace Pipeline.Testing;

/// <summary>Counts read from the TRX files <c>dotnet test</c> writes.</summary>
public sealed record TestTotals(int Passed, int Failed, int Skipped)
{
    public string ClosingLine => $"{Passed} passed, {Failed} failed" + (Skipped > 0 ? $", {Skipped} skipped" : "");

    public static TestTotals FromTrx(IEnumerable<string> files)
    {
        var totals = new TestTotals(0, 0, 0);
        foreach (var file in files)
        {
            var counters = XDocument.Load(file).Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
            if (counters is null) continue;
            int Count(string name) => int.TryParse(counters.Attribute(name)?.Value, out var n) ? n : 0;
            totals = totals with
            {
                Passed = totals.Passed + Count("passed"),
                Failed = totals.Failed + Count("failed") + Count("error") + Count("timeout") + Count("aborted"),
                Skipped = totals.Skipped + Count("notExecuted"),
            };
        }
        return totals;
    }
}
