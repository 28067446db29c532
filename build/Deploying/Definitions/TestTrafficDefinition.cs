using Pipeline.Definitions;
using Pipeline.Deploying.Canary;

namespace Pipeline.Deploying.Definitions;

/// <summary>
/// <c>groups/&lt;name&gt;/test_traffic: {path, requests, significance, error_budget, latency_tolerance}</c> of a blue/green group:
/// before the switch, <see cref="Requests"/> test requests go to the new colour and as many, interleaved, to the live one (a fresh
/// baseline of the running version under the same conditions), and the canary judge compares them (error rate by Fisher's exact
/// test, response time by Mann-Whitney U); a failed verdict removes the new colour and leaves the traffic alone.
/// </summary>
/// <param name="Path">The request sent, e.g. <c>/cgi-bin/work</c> (GET, to each member of the colour in turn).</param>
/// <param name="Requests">Requests per colour (at least 20, so that the latency test can rank them).</param>
public sealed record TestTrafficDefinition(string Path, int Requests, CanaryAnalysis Analysis)
{
    /// <summary>Reads <c>test_traffic</c> (null without it); only for a blue/green group.</summary>
    internal static TestTrafficDefinition? Read(DefinitionNode group)
    {
        if (group.Optional("test_traffic") is not { } node) return null;
        node.AllowOnly("path", "requests", "significance", "error_budget", "latency_tolerance");
        var path = node.Required("path", "the request to send, e.g. /cgi-bin/work");
        if (!path.String().StartsWith('/')) throw path.Error("must start with '/' (e.g. /cgi-bin/work)");
        var requests = node.Optional("requests")?.Int(20, 100_000) ?? 200;
        var d = CanaryAnalysis.Default;
        var analysis = new CanaryAnalysis("test traffic",
            CanaryDefinition.Number(node.Optional("significance"), d.Significance, 1e-9, 0.5),
            requests,
            d.MaxWait,
            CanaryDefinition.Number(node.Optional("error_budget"), d.ErrorBudget, 0, 1, percent: true),
            CanaryDefinition.Number(node.Optional("latency_tolerance"), d.LatencyTolerance, 1, 100));
        return new TestTrafficDefinition(path.String(), requests, analysis);
    }
}
