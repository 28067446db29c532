using Pipeline.Engine.Parameters;

namespace Pipeline.CI;

/// <summary>
/// What CI knows about the build beyond its graph: the images (one cache entry each), which <c>[Secret]</c>
/// parameters each target reads, which targets read an environment's registry or host credentials, and the
/// environment files themselves.
/// </summary>
public sealed record CiContext
{
    public IReadOnlyList<string> Images { get; init; } = [];
    /// <summary>Target name → the <c>[Secret]</c> parameters (by name) it reads.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> TargetSecrets { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();
    /// <summary>Targets that log in to the environment's registries (Publish, Promote).</summary>
    public IReadOnlySet<string> RegistryReaders { get; init; } = new HashSet<string>();
    /// <summary>Targets that reach the environment's hosts and clouds (Deploy).</summary>
    public IReadOnlySet<string> HostReaders { get; init; } = new HashSet<string>();
    public Func<string, EnvironmentCredentials> Environments { get; init; } = e => new(e);
}

/// <summary>Everything secret or privileged one job receives, derived from the targets its run step runs.</summary>
public sealed record JobAccess
{
    /// <summary>Environment variable names given as <c>${{ secrets.NAME }}</c> to the run step.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];
    /// <summary>Non-secret settings (registry user names) given as <c>${{ vars.NAME }}</c>.</summary>
    public IReadOnlyList<string> Variables { get; init; } = [];
    /// <summary>Secrets written to a file first (ssh keys); the run step sees the file's path under the same name.</summary>
    public IReadOnlyList<string> FileSecrets { get; init; } = [];
    public AwsFederation? Aws { get; init; }
    public GcpFederation? Gcp { get; init; }
    /// <summary>Whether the job reads credentials of its environment (then it runs in that GitHub environment).</summary>
    public bool UsesEnvironmentCredentials { get; init; }

    /// <summary>Every name a <c>${{ secrets.* }}</c> of this job may reference (file secrets included).</summary>
    public IReadOnlySet<string> AllSecrets => Secrets.Concat(FileSecrets).ToHashSet();

    public static JobAccess For(IReadOnlyList<string> targets, string? environment, string? fromEnvironment,
        CiContext context, IReadOnlyList<ParameterInfo> parameters)
    {
        var byName = parameters.ToDictionary(p => p.Name);
        var secrets = new List<string>();
        var variables = new List<string>();
        var files = new List<string>();
        AwsFederation? aws = null;
        GcpFederation? gcp = null;
        var usesEnvironment = false;
        foreach (var target in targets)
        {
            foreach (var parameter in context.TargetSecrets.GetValueOrDefault(target) ?? [])
                secrets.Add(
                    byName.TryGetValue(parameter, out var p) && p.IsSecret
                        ? p.EnvironmentVariable
                        : throw new Engine.PipelineException(
                            $"CI: target {target} is said to read secret parameter '{parameter}', which the build does not declare as "
                            + $"[Secret]."
                        )
                );
            if (environment is null) continue;
            var credentials = context.Environments(environment);
            if (context.RegistryReaders.Contains(target))
            {
                var sources = fromEnvironment is null ? [credentials] : new[] { credentials, context.Environments(fromEnvironment) };
                secrets.AddRange(sources.SelectMany(c => c.RegistrySecrets));
                variables.AddRange(sources.SelectMany(c => c.RegistryVariables));
                usesEnvironment |= sources.Any(c => c.RegistrySecrets.Count > 0);
            }
            if (context.HostReaders.Contains(target))
            {
                secrets.AddRange(credentials.HostSecrets.Except(credentials.FileSecrets));
                files.AddRange(credentials.FileSecrets);
                if (credentials.UsesAws) aws = credentials.Aws;
                if (credentials.UsesGcp) gcp = credentials.Gcp;
                usesEnvironment |= credentials.HostSecrets.Count > 0 || aws is not null || gcp is not null;
            }
        }
        // A secret parameter read from the environment variable a registry names is the same secret once.
        return new JobAccess
        {
            Secrets = secrets.Distinct().Order(StringComparer.Ordinal).ToList(),
            Variables = variables.Distinct().Order(StringComparer.Ordinal).ToList(),
            FileSecrets = files.Distinct().Order(StringComparer.Ordinal).ToList(),
            Aws = aws,
            Gcp = gcp,
            UsesEnvironmentCredentials = usesEnvironment,
        };
    }
}
