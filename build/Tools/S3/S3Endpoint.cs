namespace Pipeline.Tools.S3;

/// <summary>
/// Where an S3-compatible service answers and how to sign for it. Credentials are secrets: the caller registers
/// them with <c>Secrets.Register</c>; <see cref="ToString"/> never shows them.
/// </summary>
/// <param name="ServiceUrl">e.g. <c>http://127.0.0.1:23000</c> or <c>https://s3.eu-central-1.amazonaws.com</c>.</param>
/// <param name="Region">The signing region, e.g. <c>us-east-1</c>.</param>
/// <param name="PathStyle">Address buckets as <c>host/bucket</c> (s3rver, MinIO) rather than <c>bucket.host</c>.</param>
public sealed record S3Endpoint(string ServiceUrl, string Region, bool PathStyle, string AccessKey, string SecretKey)
{
    /// <summary>The keys s3rver accepts by default (public, documented by s3rver; not a secret).</summary>
    public const string S3rverDefaultKey = "S3RVER";

    /// <summary>The session token of temporary credentials (an assumed role's, AWS_SESSION_TOKEN), sent as
    /// <c>x-amz-security-token</c>; null for long-lived keys. A secret, like the keys.</summary>
    public string? SessionToken { get; init; }

    public static S3Endpoint S3rver(int port) => new($"http://127.0.0.1:{port}", "us-east-1", true, S3rverDefaultKey, S3rverDefaultKey);

    /// <summary>True when the endpoint is this machine (127.0.0.1, ::1 or localhost).</summary>
    public bool IsLoopback => Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var uri) && uri.IsLoopback;

    public override string ToString() => $"{ServiceUrl} ({Region}{(PathStyle ? ", path-style" : "")})";
}
