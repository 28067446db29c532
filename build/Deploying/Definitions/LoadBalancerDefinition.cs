namespace Pipeline.Deploying.Definitions;

/// <summary><c>groups/&lt;name&gt;/load_balancer/haproxy</c>: the runtime API (a unix socket or a loopback address) and the
/// backend.</summary>
public sealed record LoadBalancerDefinition(string? Socket, string? Address, string Backend)
{
    public string Endpoint => Socket is not null ? $"unix:{Socket}" : Address!;

    /// <summary>A blue/green group's backend for one colour (<c>web_blue</c>, <c>web_green</c>).</summary>
    public string ColourBackend(Colour colour) => $"{Backend}_{colour.Lower()}";
}

/// <summary><c>lock</c>: where the deploy lock lives, and how long it lives without being refreshed.</summary>
/// <param name="Directory">On the docker (local) or ssh host: a directory for <c>&lt;env&gt;.deploy.lock</c>.</param>
/// <param name="S3Key">For cloud groups: the object key of the lock, in <paramref name="S3Bucket"/>.</param>
/// <param name="S3Endpoint">An S3-compatible endpoint; default AWS's in <paramref name="S3Region"/>.</param>
public sealed record LockDefinition(
    TimeSpan Ttl,
    string Directory,
    string? S3Key,
    string? S3Bucket = null,
    string? S3Endpoint = null,
    string S3Region = "us-east-1"
)
{
    public static LockDefinition Default { get; } = new(TimeSpan.FromMinutes(2), "/var/lock/pipeline", null);
}
