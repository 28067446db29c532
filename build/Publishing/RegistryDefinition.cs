using Pipeline.Tools.Registry;

namespace Pipeline.Publishing;

/// <summary>
/// One registry of an environment (<c>registries/&lt;name&gt;</c> in environments/&lt;env&gt;.yml). Credentials are the
/// NAMES of (secret) build parameters, never values: <c>password: RegistryPassword</c> reads <c>--registry-password</c>
/// or <c>REGISTRY_PASSWORD</c>.
/// </summary>
/// <param name="Name">The key under <c>registries:</c>.</param>
/// <param name="Endpoint">Address and TLS; plain HTTP only for loopback addresses.</param>
/// <param name="Namespace">Repository prefix, e.g. <c>pipeline</c> → <c>pipeline/heartbeat</c>; may be empty.</param>
/// <param name="UsernameParameter">Parameter holding the user name; null for anonymous access.</param>
/// <param name="PasswordParameter">Secret parameter holding the password or token.</param>
/// <param name="Source">Where it was defined, for messages: <c>environments/local.yml: registries/local</c>.</param>
public sealed record RegistryDefinition(
    string Name,
    RegistryEndpoint Endpoint,
    string Namespace,
    string? UsernameParameter,
    string? PasswordParameter,
    string Source)
{
    public string Address => Endpoint.Address;

    /// <summary><c>namespace/image</c>: the repository path inside the registry.</summary>
    public string RepositoryOf(string image) => Namespace.Length == 0 ? image : $"{Namespace}/{image}";

    /// <summary><c>address/namespace/image</c>: what <c>docker push</c> and Deploy name.</summary>
    public string RepositoryReference(string image) => $"{Address}/{RepositoryOf(image)}";

}
