using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Pipeline.Tools.Grafana;

namespace Pipeline.Monitoring;

/// <summary>
/// Sends each group's deploy annotation to Grafana once its audit record is written. Grafana is an observer, not a gate: a
/// failure (no answer, a refused token, a missing dashboard) prints one warning line and the deploy's result stands.
/// </summary>
public sealed class DeployAnnotator(GrafanaClient client, GrafanaSettings settings, bool manualRollback) : IDisposable
{
    private readonly HttpClient? _owned;

    /// <summary>The annotator of <paramref name="settings"/> (null without them: nothing is sent); without a token it warns
    /// once and sends nothing.</summary>
    public static DeployAnnotator? Create(GrafanaSettings? settings, string? token, bool manualRollback)
    {
        if (settings is null) return null;
        if (string.IsNullOrEmpty(token))
        {
            Log.Warning($"monitoring/grafana is set but GrafanaToken is not: no deploy annotation is sent to {settings.Url}");
            return null;
        }
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        return new DeployAnnotator(new GrafanaClient(http, settings.Url, token), settings, manualRollback, http);
    }

    private DeployAnnotator(GrafanaClient client, GrafanaSettings settings, bool manualRollback, HttpClient owned)
        : this(client, settings, manualRollback) => _owned = owned;

    public async Task AnnotateAsync(DeployOutcome outcome, CancellationToken ct)
    {
        var annotation = DeployAnnotations.For(outcome, manualRollback, settings.DashboardUid);
        try
        {
            var id = await client.AnnotateAsync(annotation, ct);
            Log.Information($"Grafana annotation {id}: {annotation.Text} [{string.Join(", ", annotation.Tags)}]");
        }
        catch (Exception e) when (e is PipelineException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            Log.Warning($"Grafana annotation of {outcome.Plan.Group.Name} not sent, the deploy result stands: {e.Message}");
        }
    }

    public void Dispose() => _owned?.Dispose();
}
