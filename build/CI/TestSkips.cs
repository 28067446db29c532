using System.Xml.Linq;

namespace Pipeline.CI;

/// <summary>
/// Skipped tests of a <c>dotnet test</c> run, from its TRX files (<c>outcome="NotExecuted"</c>; the reason is the
/// result's output text). CI fails a job that skipped a test for a reason its workflow does not name.
/// </summary>
public static class TestSkips
{
    public static IReadOnlyList<(string Test, string Reason)> Read(string resultsDirectory) =>
        Directory.Exists(resultsDirectory)
            ? Directory.GetFiles(resultsDirectory, "*.trx", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .SelectMany(f => Parse(File.ReadAllText(f))).ToList()
            : [];

    public static IReadOnlyList<(string Test, string Reason)> Parse(string trx)
    {
        var doc = XDocument.Parse(trx);
        return doc.Descendants()
            .Where(e => e.Name.LocalName == "UnitTestResult" && (string?)e.Attribute("outcome") == "NotExecuted")
            .Select(e =>
                (
                    (string?)e.Attribute("testName") ?? "?",
                    string.Join(
                        " ",
                        e.Descendants()
                            .Where(d => d.Name.LocalName is "Message" or "StdOut" or "Text" && !d.HasElements)
                            .Select(d => d.Value.Trim())
                            .Where(v => v.Length > 0)
                            .Distinct()
                    )
                        is { Length: > 0 } reason
                        ? reason
                        : "(no reason given)"
                )
            )
            .ToList();
    }

    /// <summary>The skips whose reason contains none of the allowed texts.</summary>
    public static IReadOnlyList<(string Test, string Reason)> NotAllowed(
        IReadOnlyList<(string Test, string Reason)> skipped,
        IReadOnlyList<string> allowed
    ) => skipped.Where(s => !allowed.Any(a => a.Length > 0 && s.Reason.Contains(a, StringComparison.Ordinal))).ToList();
}
