using Pipeline.Definitions;
using Pipeline.Tools.Registry;
using System.Text.RegularExpressions;

[assembly: EnvironmentSection("registries", "Publish")]

namespace Pipeline.Publishing;

/// <summary>
/// Reads the <c>registries:</c> section of environments/&lt;env&gt;.yml (the only section Publishing reads):
/// <code>
/// registries:
///   local:
///     address: 127.0.0.1:21500
///     namespace: pipeline
///     tls: false                  # plain HTTP: loopback addresses only
///     credentials:
///       username: RegistryUsername  # names of build parameters, never values
///       password: RegistryPassword
/// </code>
/// No section (or an empty one) means the environment has no registry: Publish saves image archives instead.
/// </summary>
public static partial class RegistriesDefinition
{
    public static IReadOnlyList<RegistryDefinition> Load(string path, string displayName, Func<string, string?>? variables = null) =>
        Read(EnvironmentFile.Load(path, displayName, variables));

    public static IReadOnlyList<RegistryDefinition> Read(DefinitionNode environment)
    {
        if (!environment.IsMapping) throw environment.Error("must be a mapping of sections (registries:, groups:, …)");
        var section = environment.Optional("registries");
        if (section is null) return [];
        var list = new List<RegistryDefinition>();
        foreach (var (name, node) in section.Entries())
        {
            if (!Name().IsMatch(name)) throw node.Error("a registry name is lower-case letters, digits and '-' (e.g. ghcr, local)");
            list.Add(ReadOne(name, node));
        }
        return list;
    }

    private static RegistryDefinition ReadOne(string name, DefinitionNode node)
    {
        node.AllowOnly("address", "namespace", "tls", "credentials");
        var addressNode = node.Required("address", "host[:port] of the registry, e.g. ghcr.io or 127.0.0.1:21500");
        var address = addressNode.String().Trim();
        if (address.Contains("://") || address.Contains('/') || address.Length == 0 || address.Contains(' '))
            throw addressNode.Error(
                $"'{address}' must be host[:port] without scheme or path (e.g. ghcr.io, 127.0.0.1:21500); put the path in namespace"
            );

        var namespaceNode = node.Optional("namespace");
        var ns = namespaceNode?.String().Trim('/') ?? "";
        if (ns.Length > 0 && !ImageNames.IsRepository(ns))
            throw namespaceNode!.Error(
                $"'{ns}' is not a valid repository path (lower-case letters, digits, '.', '_', '-', separated by '/')"
            );

        var tlsNode = node.Optional("tls");
        var tls = tlsNode?.Bool() ?? true;
        var endpoint = new RegistryEndpoint(address, tls);
        if (!tls && !endpoint.IsLoopback)
            throw tlsNode!.Error(
                $"plain HTTP is allowed only for loopback addresses (127.0.0.1, ::1, localhost), not {address} (remove 'tls: false' and "
                + $"serve the registry over TLS)"
            );

        string? username = null, password = null;
        if (node.Optional("credentials") is { } credentials)
        {
            credentials.AllowOnly("username", "password");
            username = ParameterName(credentials.Optional("username"));
            password = ParameterName(
                credentials.Required("password", "the name of the secret parameter holding the password or token, e.g. RegistryPassword")
            );
        }
        return new RegistryDefinition(name, endpoint, ns, username, password, $"{node.File}: {node.Path}");
    }

    private static string? ParameterName(DefinitionNode? node)
    {
        if (node is null) return null;
        var value = node.String();
        if (!Parameter().IsMatch(value))
            throw node.Error(
                $"must be the NAME of a build parameter in PascalCase (e.g. RegistryPassword, read from --registry-password or "
                + $"REGISTRY_PASSWORD; never the secret itself; the value given is not shown)"
            );
        return value;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex Name();

    [GeneratedRegex("^[A-Z][A-Za-z0-9]*$")]
    private static partial Regex Parameter();
}
