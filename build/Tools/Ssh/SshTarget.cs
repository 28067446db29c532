namespace Pipeline.Tools.Ssh;

/// <summary>
/// Everything needed to reach a host: its endpoint, the known_hosts file that pins its key (and the jump host's),
/// the private key (a file, or the key itself as given by a secret parameter; none: ~/.ssh/id_ed25519, id_ecdsa,
/// id_rsa), and an optional jump host (bastion) the connection is forwarded through.
/// </summary>
public sealed record SshTarget(SshEndpoint Endpoint, string KnownHosts, string? Identity = null, SshEndpoint? Jump = null)
{
    /// <summary>The pool's key: one connection per host, user, port, route and pinning file (a connection is only reused under the pins it
    /// was checked with).</summary>
    public string Key => $"{Endpoint}{(Jump is null ? "" : $" via {Jump}")} pinned by {KnownHosts}";

    public override string ToString() => Endpoint.ToString();
}
