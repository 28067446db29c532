using Pipeline.Tools.Aws;

namespace Pipeline.Tools.S3;

/// <summary>
/// One S3 REST request signed with SigV4 by our own code, for the paths where the AWS SDK's per-request machinery
/// costs more than the request (the no-op backup's listing, small content-addressed objects): path-style or
/// virtual-hosted as the endpoint says, the payload's SHA-256 signed in <c>x-amz-content-sha256</c>.
/// </summary>
public static class S3SignedRequest
{
    private static readonly string EmptyHash = SigV4.HashHex([]);

    /// <param name="key">The object key, or empty for a request on the bucket (ListObjects).</param>
    public static HttpRequestMessage Create(S3Endpoint endpoint, string bucket, HttpMethod method, string key,
        KeyValuePair<string, string>[] query, ReadOnlyMemory<byte>? payload, DateTimeOffset at)
    {
        var service = new Uri(endpoint.ServiceUrl);
        var host = endpoint.PathStyle ? service.Authority : $"{bucket}.{service.Authority}";
        var basePath = service.AbsolutePath.TrimEnd('/');
        var path = endpoint.PathStyle ? $"{basePath}/{bucket}" : basePath;
        if (key.Length > 0) path += "/" + key;
        var payloadHash = payload is { } bytes
            ? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.Span))
            : EmptyHash;
        var headers = new Dictionary<string, string>
        {
            ["host"] = host,
            ["x-amz-date"] = SigV4.AmzDate(at),
            ["x-amz-content-sha256"] = payloadHash,
        };
        if (endpoint.SessionToken is { } token) headers["x-amz-security-token"] = token;
        var authorization = SigV4.Authorization(
            new AwsCredentials(endpoint.AccessKey, endpoint.SecretKey, endpoint.SessionToken), endpoint.Region, "s3", at,
            method.Method, path, query, headers, payloadHash);
        var queryText = query.Length == 0 ? "" : "?" + SigV4.CanonicalQuery(query);
        // As signed: a key with "./" or "../" segments must not be collapsed into another key.
        var uri = new Uri($"{service.Scheme}://{host}{SigV4.Encode(path.Length == 0 ? "/" : path, path: true)}{queryText}",
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("x-amz-date", headers["x-amz-date"]);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (endpoint.SessionToken is { } t) request.Headers.TryAddWithoutValidation("x-amz-security-token", t);
        if (payload is { } content)
        {
            request.Content = new ReadOnlyMemoryContent(content);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        }
        return request;
    }
}
