using Pipeline.Engine;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Pipeline.Tools.S3;

/// <summary>
/// S3 requests signed by our own code (see <see cref="S3SignedRequest"/>) through one shared connection pool: a PUT of
/// in-memory content, a DELETE, a page of ListObjects (v1). For the many small requests of a backup the AWS SDK's
/// per-request pipeline, and its start-up on a run that needs nothing else from it, cost more than the transfer.
/// Transient failures (5xx, 429, resets, timeouts) are retried with backoff; others fail at once with S3's error code.
/// </summary>
public sealed partial class S3Direct(S3Endpoint endpoint, string bucket)
{
    private const int Attempts = 4;
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 64,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };

    public async Task PutAsync(string fullKey, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        using var _ = await SendAsync(
            "write",
            fullKey,
            () => S3SignedRequest.Create(endpoint, bucket, HttpMethod.Put, fullKey, [], payload, DateTimeOffset.UtcNow),
            ct
        );
    }

    /// <summary>
    /// A PUT with one conditional-write header (not signed: S3 accepts unsigned standard headers). False when the store
    /// refused it: 412 Precondition Failed, or 409 ConditionalRequestConflict (a concurrent conditional write won).
    /// </summary>
    public async Task<bool> PutIfAsync(string fullKey, ReadOnlyMemory<byte> payload, WritePrecondition precondition, CancellationToken ct)
    {
        using var response = await SendAsync("conditional write", fullKey, () =>
        {
            var request = S3SignedRequest.Create(endpoint, bucket, HttpMethod.Put, fullKey, [], payload, DateTimeOffset.UtcNow);
            request.Headers.TryAddWithoutValidation(precondition.Header, precondition.Value);
            return request;
        }, ct, refusals: [HttpStatusCode.PreconditionFailed, HttpStatusCode.Conflict]);
        return response.IsSuccessStatusCode;
    }

    /// <summary>The whole object and its ETag, or null when there is none (404).</summary>
    public async Task<VersionedObject?> GetAsync(string fullKey, CancellationToken ct)
    {
        using var response = await SendAsync(
            "read",
            fullKey,
            () => S3SignedRequest.Create(endpoint, bucket, HttpMethod.Get, fullKey, [], null, DateTimeOffset.UtcNow),
            ct,
            alsoDone: HttpStatusCode.NotFound
        );
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return new VersionedObject(await response.Content.ReadAsByteArrayAsync(ct), response.Headers.ETag?.ToString());
    }

    /// <summary>Removes the object; a key that does not exist is no error (S3 answers 204, some servers 404).</summary>
    public async Task DeleteAsync(string fullKey, CancellationToken ct)
    {
        using var _ = await SendAsync(
            "delete",
            fullKey,
            () => S3SignedRequest.Create(endpoint, bucket, HttpMethod.Delete, fullKey, [], null, DateTimeOffset.UtcNow),
            ct,
            alsoDone: HttpStatusCode.NotFound
        );
    }

    /// <summary>One page of keys under <paramref name="fullPrefix"/> after <paramref name="marker"/>, flat (no delimiter).</summary>
    public async Task<ListPage> ListAsync(string fullPrefix, string? marker, CancellationToken ct)
    {
        KeyValuePair<string, string>[] query = marker is null
            ? [new("max-keys", "1000"), new("prefix", fullPrefix)]
            : [new("marker", marker), new("max-keys", "1000"), new("prefix", fullPrefix)];
        using var response = await SendAsync(
            "list",
            fullPrefix,
            () => S3SignedRequest.Create(endpoint, bucket, HttpMethod.Get, "", query, null, DateTimeOffset.UtcNow),
            ct
        );
        var body = await response.Content.ReadAsStringAsync(ct);
        try { return ListPage.Parse(body); }
        catch (Exception e) when (e is System.Xml.XmlException or FormatException)
        {
            throw Failure("list", fullPrefix, $"the answer is not a ListBucketResult ({e.Message})");
        }
    }

    /// <param name="refusals">Answers handed back to the caller as they are (a refused precondition), not failures.</param>
    private async Task<HttpResponseMessage> SendAsync(
        string operation,
        string fullKey,
        Func<HttpRequestMessage> create,
        CancellationToken ct,
        HttpStatusCode? alsoDone = null,
        HttpStatusCode[]? refusals = null
    )
    {
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            Exception? cause = null;
            try
            {
                using var request = create();
                var response = await Http.SendAsync(request, ct);
                if (response.IsSuccessStatusCode || response.StatusCode == alsoDone || refusals?.Contains(response.StatusCode) == true)
                    return response;
                using (response)
                {
                    failure = $"{(int)response.StatusCode} {ErrorCode(await response.Content.ReadAsStringAsync(ct))}";
                    if (!IsTransient(response.StatusCode)) throw Failure(operation, fullKey, failure);
                    cause = new HttpRequestException(failure, null, response.StatusCode); // kept: a caller may retry later
                }
            }
            catch (HttpRequestException e) { failure = e.Message; cause = e; }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                failure = "timed out";
                cause = new TimeoutException(failure, e);
            }
            if (attempt == Attempts) throw Failure(operation, fullKey, $"{failure} (after {Attempts} attempts)", cause);
            // jitter: connections do not retry in step
            await Task.Delay(TimeSpan.FromMilliseconds((100 << attempt) * (1 + 0.2 * Random.Shared.NextDouble())), ct);
        }
    }

    public static bool IsTransient(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests;

    /// <summary>The <c>&lt;Code&gt;</c> of an S3 error document, or "no error code".</summary>
    public static string ErrorCode(string body) => CodePattern().Match(body) is { Success: true } m ? m.Groups[1].Value : "no error code";

    /// <param name="cause">The network error behind a failure, kept so callers can tell it is worth retrying later.</param>
    private PipelineException Failure(string operation, string fullKey, string what, Exception? cause = null) =>
        new($"S3 {operation} of s3://{bucket}/{fullKey} at {endpoint.ServiceUrl} failed: {what}", cause);

    [GeneratedRegex("<Code>([^<]*)</Code>")]
    private static partial Regex CodePattern();
}

/// <summary>One page of a ListObjects answer: the objects, and whether more follow (then list again after the last key).</summary>
public sealed record ListPage(IReadOnlyList<ObjectInfo> Objects, bool IsTruncated)
{
    /// <summary>Reads a ListBucketResult document (keys as they are stored, full keys including any prefix).</summary>
    public static ListPage Parse(string listBucketResult)
    {
        var root = XDocument.Parse(listBucketResult).Root;
        if (root is null || root.Name.LocalName != "ListBucketResult")
            throw new FormatException($"the root element is {root?.Name.LocalName ?? "missing"}");
        string? Child(XElement e, string name) => e.Elements().FirstOrDefault(c => c.Name.LocalName == name)?.Value;
        var objects = root.Elements()
            .Where(e => e.Name.LocalName == "Contents")
            .Select(c => new ObjectInfo(
                Child(c, "Key") ?? throw new FormatException("a Contents entry has no Key"),
                long.Parse(Child(c, "Size") ?? "0", CultureInfo.InvariantCulture),
                Child(c, "LastModified") is { } modified
                    ? DateTimeOffset.Parse(modified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                    : DateTimeOffset.MinValue,
                Child(c, "ETag")
            ))
            .ToList();
        return new ListPage(objects, Child(root, "IsTruncated") == "true");
    }
}
