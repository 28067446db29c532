using Pipeline.Engine;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Services;
using Pipeline.Publishing;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Registry;

namespace Pipeline;

/// <summary>Images to the environment's registries, by digest (artifacts/published.json).</summary>
partial class Build
{
    [Parameter("An extra tag for Publish and Promote, e.g. staging; none unless given.")]
    readonly string? Channel;

    [Parameter(
        "Promote: the environment whose published digests are promoted (default: the one artifacts/published.json names).",
        Name = "FromEnvironment"
    )]
    readonly string? PromoteFrom;

    [Parameter("User name for registries whose credentials name RegistryUsername (the local registry's user by default).")]
    readonly string RegistryUsername = LocalRegistryUser;

    [
        Parameter(
            "Password or token for registries whose credentials name RegistryPassword (the local registry's generated one by default)."
        ),
        Secret
    ]
    readonly string? RegistryPassword;

    const int LocalRegistryPort = 21500;
    internal const string LocalRegistryUser = "pipeline";

    /// <summary>Where Publish and Promote read images.json and leave published.json, archives and the local registry.</summary>
    PublishLayout PublishLayout => PublishLayout.Of(RootDirectory, ArtifactsDirectory, TemporaryDirectory);

    /// <summary>The local environment's registry: Debian's docker-registry with htpasswd (bcrypt) auth, password generated
    /// once; its config and htpasswd are written just before it starts (not on every look at the property). It owns
    /// 127.0.0.1:21500: a registry at that address is this one.</summary>
    LocalService Registry => RegistryService.Spec("registry", PublishLayout.LocalRegistry, LocalRegistryPort) with
    {
        Addresses = [OwnedAddress.Tcp(LocalRegistryPort)],
        Tools = [RegistryService.RegistryTool, RegistryService.HtpasswdTool],
        BeforeStart = () =>
            RegistryService.Prepare(PublishLayout.LocalRegistry, LocalRegistryPort, LocalRegistryUser, LocalRegistryPassword),
    };

    /// <summary>Generated once into .nuke/temp/registry/password (mode 0600), registered as a secret, never printed.</summary>
    string LocalRegistryPassword => RegistryService.LocalPassword(PublishLayout.LocalRegistry / "password");

    Target Publish => _ => _
        .Description("Push the images of artifacts/images.json to the environment's registries, skipping what is there; write "
            + "artifacts/published.json.")
        .DependsOn(Images)
        .After(ClusterTest)
        .Requires(() => EnvironmentName)
        .Needs(Tool.Apt("git"), DockerDaemon.Tool, RegistryService.RegistryTool, RegistryService.HtpasswdTool, Tool.Apt("skopeo"))
        .Executes(async ct =>
        {
            var registries = RegistriesDefinition.Read(EnvironmentRoot);
            var images = BuiltImages.Load(PublishLayout.ImagesManifest);
            // git, the engine and the local registry are asked at once (each one's first use costs tens of milliseconds).
            var reading = registries.Count == 0 ? null : Task.Run(() => SourceVersion.ReadAsync(RootDirectory, ct), ct);
            var registryReady = registries.Count == 0 ? Task.CompletedTask : Task.Run(() => StartLocalRegistryIfUsed(registries, ct), ct);
            await EnsureDockerAsync(ct);
            using var docker = new DockerClient();
            var engine = new DockerImageEngine(docker);
            IReadOnlyList<PublishedImage> published;
            if (registries.Count == 0)
            {
                Log.Information($"environments/{EnvironmentName}.yml has no registries: saving image archives to artifacts/images/.");
                published = await new ImageArchiver(engine, PublishLayout).SaveAsync(images, ct);
            }
            else
            {
                await registryReady;
                var options = new PublishOptions(EnvironmentName, await reading!, Channel, IsServerBuild);
                published = await new Publisher(engine, RegistryCredentialsFor, options).PublishAsync(registries, images, ct);
            }
            await new PublishedManifest(EnvironmentName, published).WriteAsync(PublishLayout.Published, ct);
            Log.Information($"Wrote artifacts/published.json ({published.Count} entries).");
            Pipeline.Monitoring.StepMetrics.Published(MetricsDirectory, EnvironmentName,
                registries.Count == 0 ? ["archive"] : registries.Select(r => r.Name), DateTimeOffset.UtcNow);
        });

    Target Promote => _ => _
        .Description("Give a published digest another tag or copy it to another environment's registry, without rebuilding.")
        .Before(Deploy) // production's CI job: ./build.sh Promote Deploy deploys what Promote copied
        .Requires(() => EnvironmentName)
        .Executes(async ct =>
        {
            var source = PublishedManifest.Load(PublishLayout.Published);
            var from = PromoteFrom ?? source.Environment;
            if (from != source.Environment)
                throw new UsageException(
                    $"--from-environment {from}: artifacts/published.json holds the digests of '{source.Environment}' (run ./build.sh "
                    + $"Publish --environment {from} first)."
                );
            if (from == EnvironmentName && string.IsNullOrWhiteSpace(Channel))
                throw new UsageException(
                    $"Promote within '{from}' only adds a tag: give it with --channel (e.g. --channel stable), or promote to another "
                    + $"--environment."
                );
            var sourceRegistries = RegistriesDefinition.Load(RootDirectory / "environments" / $"{from}.yml", $"environments/{from}.yml");
            var targets = RegistriesDefinition.Read(EnvironmentRoot);
            if (targets.Count == 0)
                throw new UsageException(
                    $"environments/{EnvironmentName}.yml: registries: none defined; Promote copies between registries."
                );
            await StartLocalRegistryIfUsed([.. sourceRegistries, .. targets], ct);
            var promoted = await new Promoter(RegistryCredentialsFor, RetryPolicy.Default).PromoteAsync(
                source,
                sourceRegistries,
                targets,
                Channel,
                ct
            );
            await new PublishedManifest(EnvironmentName, promoted).WriteAsync(PublishLayout.Published, ct);
            Log.Information($"Wrote artifacts/published.json for {EnvironmentName} ({promoted.Count} entries).");
        });

    Task StartLocalRegistryIfUsed(IEnumerable<RegistryDefinition> registries, CancellationToken ct) =>
        LocalServices.StartIfOwnedAsync(Registry, registries.Select(r => r.Address), ct);

    /// <summary>
    /// Credentials name build parameters: a declared one (e.g. RegistryPassword: --registry-password or REGISTRY_PASSWORD),
    /// else the environment variable of that name (GhcrToken → GHCR_TOKEN). The local registry falls back to its generated password.
    /// </summary>
    RegistryCredentials? RegistryCredentialsFor(RegistryDefinition registry)
    {
        if (registry.PasswordParameter is not { } passwordName) return null;
        var password = ParameterValue(passwordName)
            ?? (Registry.Owns(registry.Address) && passwordName == nameof(RegistryPassword) ? LocalRegistryPassword : null)
            ?? throw new PipelineException(
                $"Registry {registry.Address} ({registry.Source}) needs a password: set the secret parameter "
                + $"{PublishFailures.Describe(passwordName)}."
            );
        Secrets.Register(password);
        var user = registry.UsernameParameter is { } userName
            ? (userName == nameof(RegistryUsername) ? RegistryUsername : ParameterValue(userName))
                ?? throw new PipelineException(
                    $"Registry {registry.Address} ({registry.Source}) needs a user name: set the parameter "
                    + $"{PublishFailures.Describe(userName)}."
                )
            : "token";
        return new RegistryCredentials(user, password);
    }

    string? ParameterValue(string name)
    {
        var declared = ParameterInfo.Discover(GetType()).FirstOrDefault(p => p.Name == name);
        var value = declared?.GetValue(this)?.ToString() ?? EnvironmentVariables.GetValueOrDefault(Naming.UpperSnake(name));
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
