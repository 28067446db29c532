using Pipeline.Tools.Prometheus;

namespace Pipeline.Deploying.Canary;

/// <summary>One canary query as Prometheus evaluated it for a step: the query, the PromQL sent (placeholders filled in) and the
/// result.</summary>
public sealed record QueryEvaluation(CanaryQuery Query, string Rendered, PrometheusQueryResult Result)
{
    /// <summary>Evaluates each of <paramref name="queries"/> now, one after the other; a refused query raises
    /// <see cref="Engine.PipelineException"/> naming it.</summary>
    public static async Task<IReadOnlyList<QueryEvaluation>> EvaluateAsync(PrometheusClient client, IReadOnlyList<CanaryQuery> queries,
        QueryPlaceholders placeholders, CancellationToken ct)
    {
        var results = new List<QueryEvaluation>(queries.Count);
        foreach (var query in queries)
        {
            var rendered = placeholders.Render(query.Query);
            try { results.Add(new QueryEvaluation(query, rendered, await client.QueryAsync(rendered, ct))); }
            catch (Engine.PipelineException e) { throw new Engine.PipelineException($"canary query {query.Name}: {e.Message}"); }
        }
        return results;
    }
}
