using Pipeline.Engine;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Tools.Ssh;

/// <summary>One line of a known_hosts file: host patterns (plain, wildcard, negated or hashed <c>|1|salt|hash</c>) and a key.</summary>
public sealed record KnownHostEntry(IReadOnlyList<string> Patterns, string KeyType, byte[] Key, bool Revoked)
{
    /// <summary>OpenSSH's rule: some pattern matches the name and no negated one does.</summary>
    public bool Matches(string name)
    {
        var matched = false;
        foreach (var pattern in Patterns)
        {
            if (pattern.StartsWith('!')) { if (Glob(pattern[1..], name)) return false; }
            else if (pattern.StartsWith("|1|", StringComparison.Ordinal)) matched |= Hashed(pattern, name);
            else matched |= Glob(pattern, name);
        }
        return matched;
    }

    private static bool Hashed(string pattern, string name)
    {
        var parts = pattern.Split('|');
        if (parts.Length != 4) return false;
        try
        {
            return CryptographicOperations.FixedTimeEquals(
                HMACSHA1.HashData(Convert.FromBase64String(parts[2]), Encoding.UTF8.GetBytes(name)),
                Convert.FromBase64String(parts[3])
            );
        }
        catch (FormatException) { return false; }
    }

    private static bool Glob(string pattern, string name) =>
        System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: true);
}

/// <summary>
/// The environment's known_hosts file: the one place host keys are pinned. Read only; nothing is ever added to it.
/// <c>@cert-authority</c> lines are ignored (host certificates are not trusted through it); <c>@revoked</c> keys are refused.
/// </summary>
public sealed record KnownHostsFile(string Path, IReadOnlyList<KnownHostEntry> Entries)
{
    public static KnownHostsFile Read(string path)
    {
        if (!File.Exists(path))
            throw new PipelineException(
                $"{path}: the known_hosts file that pins the ssh hosts' keys does not exist; create it with each host's key, checked out "
                + $"of band (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host)"
            );
        return new KnownHostsFile(path, Parse(File.ReadAllLines(path)));
    }

    public static IReadOnlyList<KnownHostEntry> Parse(IEnumerable<string> lines)
    {
        var entries = new List<KnownHostEntry>();
        foreach (var raw in lines)
        {
            var words = raw.Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0].StartsWith('#')) continue;
            var revoked = false;
            if (words[0].StartsWith('@'))
            {
                if (words[0] != "@revoked") continue;
                (revoked, words) = (true, words[1..]);
            }
            if (words.Length < 3) continue;
            byte[] key;
            try { key = Convert.FromBase64String(words[2]); }
            catch (FormatException) { continue; }
            entries.Add(new KnownHostEntry(words[0].Split(','), words[1], key, revoked));
        }
        return entries;
    }

    /// <summary>The entries that name the host (as <c>host</c> or <c>[host]:port</c>).</summary>
    public IReadOnlyList<KnownHostEntry> For(SshEndpoint endpoint) => Entries.Where(e => e.Matches(endpoint.KnownHostsName)).ToList();

    /// <summary>Why <paramref name="key"/> is refused for the host, or null when it is pinned there.</summary>
    public string? Refusal(SshEndpoint endpoint, byte[] key)
    {
        var entries = For(endpoint);
        if (entries.Any(e => e.Revoked && e.Key.AsSpan().SequenceEqual(key))) return "is marked @revoked in";
        if (entries.Any(e => !e.Revoked && e.Key.AsSpan().SequenceEqual(key))) return null;
        return entries.Any(e => !e.Revoked) ? "is not the key pinned (changed) in" : "is not pinned (unknown host) in";
    }
}
