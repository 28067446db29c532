namespace Pipeline.Tools.Ssh;

/// <summary>
/// Everything needed to reach a host: its endpoint, the known_hosts file that pins its key (and the jump host's),
/// the private key (a file, or the key itself as given by a secret parameter; none: ~/.ssh/id_ed25519, id_ecdsa,
/// id_rsa), and an optional jump host (bastion) the connection is forwarded through.
/// </summary>
public sealed record SshTarget(SshEndpoint Endpoint, string KnownHosts, string? Identity = null, SshEndpoint? Jump = null)
{
    /// <summary>The pool's key: one connection per host, user and port (and route).</summary>
    public string Key => Jump is null ? Endpoint.ToString() : $"{Endpoint} via {Jump}";

    public override string ToString() => Endpoint.ToString();
}
