using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Pipeline.IntegrationTests.CI;

/// <summary>A request as a local fake received it.</summary>
/// <param name="Query">The query string as sent, without '?' ("" when none).</param>
public sealed record RecordedRequest(
    string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, string Query = "");

/// <summary>
/// An HttpListener on 127.0.0.1 (a port in 24000–24999) that records every request and answers with the
/// handler's (status, body). The fakes of GitHub, Slack, AWS and GCP are handlers that check the documented shapes.
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    private static int NextPort = 24000 + Environment.ProcessId % 200 * 4;
    private readonly HttpListener _listener;
    private readonly Func<RecordedRequest, (int Status, string Body)> _handler;
    private readonly Task _loop;

    public LocalHttpServer(Func<RecordedRequest, (int Status, string Body)> handler)
    {
        _handler = handler;
        for (var attempt = 0; ; attempt++)
        {
            var port = 24000 + (Interlocked.Increment(ref NextPort) - 24000) % 1000;
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                _listener = listener;
                Url = $"http://127.0.0.1:{port}";
                break;
            }
            catch (HttpListenerException) when (attempt < 50)
            {
                listener.Close();
            }
        }
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var request = new RecordedRequest(
                context.Request.HttpMethod,
                context.Request.Url!.AbsolutePath,
                headers,
                await reader.ReadToEndAsync(),
                context.Request.Url.Query.TrimStart('?')
            );
            Requests.Enqueue(request);
            var (status, body) = _handler(request);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType =
                body.StartsWith('{') ? "application/json; charset=utf-8"
                : body.StartsWith('<') ? "text/xml"
                : "text/plain";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
