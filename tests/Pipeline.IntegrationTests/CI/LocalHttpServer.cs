using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
/// With <c>anyHost</c>, Kestrel on 127.0.0.1 (a free port) serves instead: it answers a request whatever its Host header,
/// so a fake can stand in for a public API under its public name (HttpListener refuses a Host its prefix does not name).
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    private static int NextPort = 24000 + Environment.ProcessId % 200 * 4;
    private readonly HttpListener? _listener;
    private readonly WebApplication? _kestrel;
    private readonly Func<RecordedRequest, (int Status, string Body)> _handler;
    private readonly Task _loop = Task.CompletedTask;

    public LocalHttpServer(Func<RecordedRequest, (int Status, string Body)> handler, bool anyHost = false)
    {
        _handler = handler;
        if (anyHost)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            _kestrel = builder.Build();
            _kestrel.Run(ServeAsync);
            _kestrel.StartAsync().GetAwaiter().GetResult();
            Url = _kestrel.Services.GetRequiredService<IServer>()
                .Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
            return;
        }
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
        while (_listener!.IsListening)
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
            context.Response.StatusCode = status;
            context.Response.ContentType = ContentType(body);
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
            context.Response.Close();
        }
    }

    private async Task ServeAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "/", headers,
            await reader.ReadToEndAsync(context.RequestAborted), context.Request.QueryString.Value?.TrimStart('?') ?? "");
        Requests.Enqueue(request);
        var (status, body) = _handler(request);
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType(body);
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), context.RequestAborted);
    }

    private static string ContentType(string body) =>
        body.StartsWith('{') ? "application/json; charset=utf-8" : body.StartsWith('<') ? "text/xml" : "text/plain";

    public void Dispose()
    {
        if (_kestrel is not null)
        {
            _kestrel.StopAsync().GetAwaiter().GetResult();
            ((IDisposable)_kestrel).Dispose();
            return;
        }
        _listener!.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
