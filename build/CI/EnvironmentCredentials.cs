using Pipeline.Definitions;
using Pipeline.Engine;
using Pipeline.Engine.Parameters;
using System.Text.RegularExpressions;

[assembly: EnvironmentSection("ci", "GenerateCI")]

namespace Pipeline.CI;

/// <summary>AWS through GitHub's OIDC token: <c>aws-actions/configure-aws-credentials</c> assumes this role.</summary>
public sealed record AwsFederation(string Role, string Region);

/// <summary>GCP through workload identity federation: <c>google-github-actions/auth</c> with this provider and service account.</summary>
public sealed record GcpFederation(string Provider, string ServiceAccount);

/// <summary>
/// The credentials an environment file names, as CI hands them to jobs. Registry credentials name build parameters
/// (<c>password: GhcrToken</c> → secret <c>GHCR_TOKEN</c>, <c>username: GhcrUser</c> → variable <c>GHCR_USER</c>);
/// <c>${VAR}</c> references are secrets (an <c>identity:</c> one holds an ssh key, written to a file for the job);
/// aws-asg groups, an S3 deploy lock and a route53 dns: provider need AWS credentials, gcp-mig groups a GCP access token:
/// through federation when the optional <c>ci:</c> section says so, else as static secrets.
/// </summary>
public sealed partial record EnvironmentCredentials(string Environment)
{
    public IReadOnlyList<string> RegistrySecrets { get; init; } = [];
    public IReadOnlyList<string> RegistryVariables { get; init; } = [];
    /// <summary>Secrets whose value is a file's content (ssh keys); the job gets a path to it under the same name.</summary>
    public IReadOnlyList<string> FileSecrets { get; init; } = [];
    public IReadOnlyList<string> ValueSecrets { get; init; } = [];
    public bool UsesAws { get; init; }
    public bool UsesGcp { get; init; }
    public AwsFederation? Aws { get; init; }
    public GcpFederation? Gcp { get; init; }

    public static readonly IReadOnlyList<string> AwsStaticKeys = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];
    public const string GcpToken = "GCP_ACCESS_TOKEN";

    /// <summary>The secrets Deploy (and the other targets that reach the hosts) read, cloud keys included when not federated.</summary>
    public IReadOnlyList<string> HostSecrets =>
        [
            .. FileSecrets,
            .. ValueSecrets,
            .. UsesAws && Aws is null ? AwsStaticKeys : [],
            .. UsesGcp && Gcp is null ? new[] { GcpToken } : [],
        ];

    /// <summary>The credentials <c>environments/&lt;environment&gt;.yml</c> of <paramref name="root"/> names (none when it is
    /// missing).</summary>
    public static EnvironmentCredentials Read(AbsolutePath root, string environment)
    {
        var relative = $"{EnvironmentFile.Folder}/{environment}.yml";
        var path = root / relative;
        if (!File.Exists(path)) return new(environment);
        // Read like every environment file (strict UTF-8, known sections); names only: ${VAR} stays as written.
        var text = DefinitionFile.ReadText(path, relative);
        var file = EnvironmentFile.Parse(text, relative, name => "${" + name + "}");

        // Through the registries' own loader, which refuses a credential that is not a parameter's name (a pasted token
        // would otherwise become a secret's name in the committed workflow).
        var registries = Publishing.RegistriesDefinition.Read(file);
        var secrets = registries.Select(r => r.PasswordParameter).OfType<string>().Select(Naming.UpperSnake).ToList();
        var variables = registries.Select(r => r.UsernameParameter).OfType<string>().Select(Naming.UpperSnake).ToList();

        var fileSecrets = new List<string>();
        var valueSecrets = new List<string>();
        foreach (var line in text.Split('\n').Select(l => CommentStart().Replace(l, "")))
            foreach (Match m in Reference().Matches(line))
                (IdentityKey().IsMatch(line) ? fileSecrets : valueSecrets).Add(m.Groups[1].Value);

        var providers = (file.Optional("groups")?.Entries() ?? []).Select(g => g.Value.Optional("provider")?.String()).ToList();
        var ci = file.Optional("ci")?.AllowOnly("aws", "gcp");
        var aws = ci?.Optional("aws")?.AllowOnly("role", "region") is { } a
            ? new AwsFederation(
                a.Required("role", "the ARN of the role GitHub's OIDC token assumes").String(),
                a.Required("region").String()
            )
            : null;
        var gcp = ci?.Optional("gcp")?.AllowOnly("workload_identity_provider", "service_account") is { } g
            ? new GcpFederation(
                g.Required(
                        "workload_identity_provider",
                        "projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>"
                    )
                    .String(),
                g.Required("service_account").String()
            )
            : null;

        return new(environment)
        {
            RegistrySecrets = [.. secrets.Distinct()],
            RegistryVariables = [.. variables.Distinct()],
            FileSecrets = [.. fileSecrets.Distinct()],
            ValueSecrets = [.. valueSecrets.Distinct().Except(fileSecrets)],
            UsesAws = providers.Contains("aws-asg") || file.Optional("lock")?.Optional("s3_bucket") is not null
                || (file.Optional("dns")?.Optional("providers")?.Entries() ?? [])
                    .Any(p => p.Value.Optional("type")?.String() == "route53"),
            UsesGcp = providers.Contains("gcp-mig"),
            Aws = aws,
            Gcp = gcp,
        };
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^\s*identity\s*:")]
    private static partial Regex IdentityKey();

    [GeneratedRegex(@"(^|\s)#.*$")]
    private static partial Regex CommentStart();
}
