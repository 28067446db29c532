using System.Text.Json.Nodes;

namespace Pipeline.IntegrationTests.CI;

/// <summary>
/// A local fake of a Slack incoming webhook at a secret-looking path: POST, <c>Content-Type: application/json</c>,
/// a body with a non-empty <c>text</c>; answers 200 "ok", or Slack's 400 "invalid_payload" / 404 "no_service".
/// </summary>
public sealed class FakeSlackWebhook : IDisposable
{
    private const string HookPath = "/services/T000/B000/xoxsecretpath";
    private readonly LocalHttpServer _server;

    public FakeSlackWebhook() => _server = new LocalHttpServer(Handle);

    public string WebhookUrl => _server.Url + HookPath;
    public List<string> Messages { get; } = [];

    private (int, string) Handle(RecordedRequest request)
    {
        if (request.Method != "POST" || request.Path != HookPath) return (404, "no_service");
        if (!(request.Headers.GetValueOrDefault("Content-Type") ?? "").StartsWith("application/json")) return (400, "invalid_payload");
        var text = (JsonNode.Parse(request.Body) as JsonObject)?["text"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(text)) return (400, "no_text");
        lock (Messages) Messages.Add(text);
        return (200, "ok");
    }

    public void Dispose() => _server.Dispose();
}
