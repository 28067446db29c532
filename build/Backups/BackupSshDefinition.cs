using Pipeline.Definitions;
using Pipeline.Tools.Ssh;

namespace Pipeline.Backups;

/// <summary>
/// <c>backups/ssh</c>: how sources on hosts (<c>{host: user@host[:port], path}</c>) are reached: the known_hosts file
/// pinning their keys (paths relative to the repository root), the key, and an optional jump host. Required as soon as a
/// set has such a source; the hosts' keys are checked exactly as the ssh provider's are, with the same client.
/// </summary>
public sealed record BackupSshDefinition(string KnownHosts, string? Identity, SshEndpoint? Jump)
{
    public static BackupSshDefinition Load(DefinitionNode node, Engine.AbsolutePath root)
    {
        node.AllowOnly("known_hosts", "identity", "jump");
        var knownHosts = node.Required("known_hosts", "a known_hosts file pinning the source hosts' keys (never accepted blindly)")
            .String();
        var identity = node.Optional("identity")?.String();
        return new BackupSshDefinition(
            Rooted(knownHosts, root),
            identity is null || identity.Contains("-----BEGIN", StringComparison.Ordinal) ? identity : Rooted(Home(identity), root),
            node.Optional("jump") is { } jump ? Deploying.Definitions.ProviderLoader.Jump(jump, Environment.UserName) : null
        );
    }

    /// <summary>The target of a source's <c>host:</c> (checked when the file was loaded).</summary>
    public SshTarget Target(string host) =>
        new(
            SshEndpoint.TryParse(host, Environment.UserName)
                ?? throw new ArgumentException($"'{host}' is not user@host[:port]", nameof(host)),
            KnownHosts,
            Identity,
            Jump
        );

    private static string Home(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;

    private static string Rooted(string path, Engine.AbsolutePath root) => Engine.AbsolutePath.Parse(path, root).Value;
}
