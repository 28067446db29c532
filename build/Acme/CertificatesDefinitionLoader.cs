using Pipeline.Definitions;
using System.Text.RegularExpressions;

[assembly: EnvironmentSection("certificates", "Certificates")]

namespace Pipeline.Acme;

/// <summary>
/// Reads the <c>certificates:</c> section of environments/&lt;env&gt;.yml into a validated <see cref="CertificatesDefinition"/>.
/// </summary>
public static partial class CertificatesDefinitionLoader
{
    public static CertificatesDefinition Load(DefinitionNode root, string environment)
    {
        var section = root.Required("certificates", "add a certificates: section with directory and sets")
            .AllowOnly("directory", "trust", "contact", "key-type", "challenge", "external-account-binding", "backup", "install", "sets");
        var directoryNode = section.Required("directory", "letsencrypt, letsencrypt-staging or the URL of an ACME directory");
        var directory = directoryNode.String() switch
        {
            "letsencrypt" => CertificatesDefinition.LetsEncrypt,
            "letsencrypt-staging" => CertificatesDefinition.LetsEncryptStaging,
            var url when Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme == "https" => u,
            var url => throw directoryNode.Error($"'{url}' must be letsencrypt, letsencrypt-staging or an https:// directory URL"),
        };
        var trustNode = section.Optional("trust");
        if (trustNode is not null && !directory.IsLoopback)
            throw trustNode.Error(
                "an extra trusted CA is only allowed for a loopback directory (a local test CA such as Pebble's); remove it"
            );

        var contact = section.Optional("contact")?.Strings() ?? [];
        foreach (var c in contact)
            if (!c.StartsWith("mailto:", StringComparison.Ordinal))
                throw section.Required("contact").Error($"'{c}' must be a mailto: URL (e.g. mailto:ops@example.com)");

        var keyType = section.Optional("key-type")?.Enum<KeyType>() ?? KeyType.EcP256;
        var challenge = Challenge(section.Optional("challenge"), null);

        (string, string)? eab = null;
        if (section.Optional("external-account-binding") is { } eabNode)
        {
            eabNode.AllowOnly("kid", "hmac-key");
            var hmac = eabNode.Required("hmac-key", "the base64url MAC key the CA gave, e.g. ${ACME_EAB_HMAC_KEY}").String();
            Engine.Secrets.Register(hmac);
            eab = (eabNode.Required("kid").String(), hmac);
        }

        var backup = section.Optional("backup")?.AllowOnly("endpoint", "bucket", "key");
        var install = section.Optional("install")?.AllowOnly("directory", "haproxy-socket");

        var setsNode = section.Required("sets", "a list of { names: [...] }");
        var sets = new List<NameSet>();
        foreach (var item in setsNode.Items())
        {
            item.AllowOnly("names", "challenge");
            var namesNode = item.Required("names", "the DNS names of one certificate");
            var names = namesNode.Strings();
            if (names.Count == 0) throw namesNode.Error("must name at least one DNS name");
            if (names.Count > 100) throw namesNode.Error("at most 100 names per certificate");
            foreach (var name in names)
                if (!DnsName().IsMatch(name))
                    throw namesNode.Error($"'{name}' is not a DNS name (letters, digits, hyphens, dots; '*.' only as the first label)");
            if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count) throw namesNode.Error("names repeat");
            var setChallenge = Challenge(item.Optional("challenge"), challenge);
            if (
                setChallenge.Type == ChallengeType.Http01
                && names.FirstOrDefault(n => n.StartsWith("*.", StringComparison.Ordinal)) is { } wildcard
            )
                throw namesNode.Error(
                    $"'{wildcard}' is a wildcard: only dns-01 can prove it (set challenge: {{ type: dns-01, dns-hook: [...] }})"
                );
            var set = new NameSet(names, setChallenge);
            if (sets.Any(s => s.Key == set.Key)) throw namesNode.Error("the same names set appears twice");
            sets.Add(set);
        }

        return new CertificatesDefinition(
            directory,
            trustNode?.String(),
            contact,
            keyType,
            challenge,
            eab,
            backup?.Optional("endpoint")?.String()?.TrimEnd('/'),
            backup?.Optional("bucket")?.String() ?? "pipeline-acme",
            backup?.Optional("key")?.String() ?? $"acme/{environment}/acme.json",
            install?.Optional("directory")?.String() ?? ".nuke/temp/acme/haproxy",
            install?.Optional("haproxy-socket")?.String(),
            sets
        );
    }

    private static ChallengeDefinition Challenge(DefinitionNode? node, ChallengeDefinition? inherited)
    {
        if (node is null) return inherited ?? new ChallengeDefinition(ChallengeType.Http01, 80, null, []);
        node.AllowOnly("type", "http-port", "directory", "dns-hook", "provider");
        var type = node.Optional("type")?.Enum<ChallengeType>() ?? inherited?.Type ?? ChallengeType.Http01;
        var port = node.Optional("http-port")?.Int(1, 65535);
        var directory = node.Optional("directory")?.String();
        var hook = node.Optional("dns-hook")?.Strings() ?? [];
        var provider = node.Optional("provider")?.String();
        if (type == ChallengeType.Dns01)
        {
            if (provider is not null) return new ChallengeDefinition(type, null, null, hook) { DnsProvider = provider };
            if (hook.Count == 0) hook = inherited?.DnsHook ?? [];
            if (hook.Count == 0 && inherited?.DnsProvider is { } inheritedProvider)
                return new ChallengeDefinition(type, null, null, []) { DnsProvider = inheritedProvider };
            if (hook.Count == 0)
                throw node.Error(
                    "dns-01 needs provider: <a provider of dns:> or dns-hook: [script, args…] (called with set|clear <name> <value>)"
                );
            return new ChallengeDefinition(type, null, null, hook);
        }
        if (provider is not null) throw node.Error("provider: is for dns-01 (type: dns-01)");
        if (port is not null && directory is not null)
            throw node.Error(
                "give either http-port (the built-in responder) or directory (token files the load balancer serves), not both"
            );
        return new ChallengeDefinition(
            type,
            directory is null ? port ?? inherited?.HttpPort ?? 80 : null,
            directory ?? (port is null ? inherited?.TokenDirectory : null),
            []
        );
    }

    [GeneratedRegex(@"^(\*\.)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]$")]
    private static partial Regex DnsName();
}
