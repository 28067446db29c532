using Pipeline.Server.Jobs;
using System.Text;

namespace Pipeline.Server.Api;

/// <summary>A job's log as server-sent events: one <c>data:</c> event per line (masked), then <c>event: end</c> with the
/// job's final status.</summary>
public static class LogStream
{
    public static async Task WriteAsync(HttpContext http, Stream body, JobStore store, JobLog log, string id)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var ct = http.RequestAborted;
        async Task<bool> Finished(CancellationToken c) => (await store.FindAsync(id, c))?.IsFinished ?? true;
        try
        {
            await foreach (var line in log.FollowAsync(id, Finished, ct))
                await SendAsync(body, null, line, ct);
            var status = (await store.FindAsync(id, ct))?.Status.ToString().ToLowerInvariant() ?? "unknown";
            await SendAsync(body, "end", status, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private static async Task SendAsync(Stream body, string? name, string data, CancellationToken ct)
    {
        var text = (name is null ? "" : $"event: {name}\n") + $"data: {data.Replace("\r", "", StringComparison.Ordinal)}\n\n";
        await body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await body.FlushAsync(ct);
    }
}
