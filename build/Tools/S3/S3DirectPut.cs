using System.Net;
using System.Text.RegularExpressions;
using Pipeline.Engine;

namespace Pipeline.Tools.S3;

/// <summary>
/// A single-request upload (one signed PUT, see <see cref="S3SignedRequest"/>) through one shared connection pool:
/// for the many small objects of a backup the AWS SDK's per-request pipeline costs more CPU than the transfer.
/// Transient failures (5xx, 429, resets, timeouts) are retried with backoff; others fail at once with S3's error code.
/// </summary>
public sealed partial class S3DirectPut(S3Endpoint endpoint, string bucket)
{
    private const int Attempts = 4;
    private static readonly HttpClient s_http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };

    public async Task PutAsync(string fullKey, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            try
            {
                using var request = S3SignedRequest.Create(endpoint, bucket, HttpMethod.Put, fullKey, [], payload, DateTimeOffset.UtcNow);
                using var response = await s_http.SendAsync(request, ct);
                if (response.IsSuccessStatusCode) return;
                failure = $"{(int)response.StatusCode} {ErrorCode(await response.Content.ReadAsStringAsync(ct))}";
                if (!IsTransient(response.StatusCode)) throw Failure(fullKey, failure);
            }
            catch (HttpRequestException e) { failure = e.Message; }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { failure = "timed out"; }
            if (attempt == Attempts) throw Failure(fullKey, $"{failure} (after {Attempts} attempts)");
            await Task.Delay(TimeSpan.FromMilliseconds(100 << attempt), ct);
        }
    }

    public static bool IsTransient(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests;

    /// <summary>The <c>&lt;Code&gt;</c> of an S3 error document, or "no error code".</summary>
    public static string ErrorCode(string body) => CodePattern().Match(body) is { Success: true } m ? m.Groups[1].Value : "no error code";

    private PipelineException Failure(string fullKey, string what) =>
        new($"S3 write of s3://{bucket}/{fullKey} at {endpoint.ServiceUrl} failed: {what}");

    [GeneratedRegex("<Code>([^<]*)</Code>")]
    private static partial Regex CodePattern();
}
