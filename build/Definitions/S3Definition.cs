using Pipeline.Tools.S3;

[assembly: Pipeline.Definitions.EnvironmentSection("s3", "Backup, Certificates")]

namespace Pipeline.Definitions;

/// <summary>
/// The <c>s3:</c> section of environments/&lt;env&gt;.yml: where the S3-compatible service answers, shared by Backups
/// (snapshots) and Certificates (the ACME state), each of which names its own buckets. Credentials
/// are never written here: they come from the secret parameters --s3-access-key / --s3-secret-key.
/// </summary>
public sealed record S3Definition(string Endpoint, string Region, bool PathStyle)
{
    public static S3Definition Load(DefinitionNode root)
    {
        var s3 = root.Required("s3", "add an s3: section with endpoint, region and path-style")
            .AllowOnly("endpoint", "region", "path-style");
        var endpointNode = s3.Required("endpoint", "e.g. http://127.0.0.1:23000 or https://s3.eu-central-1.amazonaws.com");
        var endpoint = endpointNode.String();
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw endpointNode.Error($"'{endpoint}' must be an http:// or https:// URL");
        return new S3Definition(
            endpoint.TrimEnd('/'),
            s3.Optional("region")?.String() ?? "us-east-1",
            s3.Optional("path-style")?.Bool() ?? true
        );
    }

    /// <summary>
    /// The endpoint with credentials: the secret parameters when given; on a loopback endpoint without them,
    /// s3rver's public default keys.
    /// </summary>
    public S3Endpoint WithCredentials(string? accessKey, string? secretKey)
    {
        var loopback = Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.IsLoopback;
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
        {
            if (!loopback)
                throw new Engine.UsageException(
                    $"S3 at {Endpoint} needs credentials: set --s3-access-key and --s3-secret-key (or S3_ACCESS_KEY and S3_SECRET_KEY)."
                );
            accessKey = secretKey = S3Endpoint.S3rverDefaultKey;
        }
        return new S3Endpoint(Endpoint, Region, PathStyle, accessKey, secretKey);
    }
}
