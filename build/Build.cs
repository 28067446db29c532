using Pipeline.Definitions;
using Pipeline.Engine;
using Pipeline.Tools.Process;

namespace Pipeline;

/// <summary>
/// The spine of Pipeline's graph. Each concern declares its parameters and targets in its own
/// <c>Build.&lt;Concern&gt;.cs</c>; target bodies stay thin and call the capability folders.
/// </summary>
partial class Build : PipelineBuild
{
    public static Task<int> Main(string[] args) => Execute<Build>(args, x => x.Default);

    [Parameter("Build configuration for the solution's projects: Debug or Release.")]
    readonly string Configuration = "Debug";

    [Parameter("The environment to publish to, deploy to, back up: environments/<name>.yml.", Name = "Environment")]
    readonly string EnvironmentName = "local";

    AbsolutePath EnvironmentFile => RootDirectory / "environments" / $"{EnvironmentName}.yml";
    string EnvironmentFileName => $"environments/{EnvironmentName}.yml";

    DefinitionNode? _environmentRoot;
    /// <summary>
    /// environments/&lt;name&gt;.yml, read and parsed once per run; its top-level keys are the sections the capabilities
    /// declare (<see cref="EnvironmentSectionAttribute"/>), and each capability validates its own sections.
    /// </summary>
    DefinitionNode EnvironmentRoot => _environmentRoot ??= Definitions.EnvironmentFile.Load(EnvironmentFile, EnvironmentFileName);

    /// <summary>
    /// Before any target runs: --environment names a file of environments/ (not a path), that file reads, its
    /// top-level keys are known, and every section it has passes its capability's own loader, so a bad value stops
    /// the run before Packages or Publish, not when Deploy gets to it. An in-memory root without environments/ (the
    /// engine's tests) has nothing to check.
    /// </summary>
    protected internal override void ValidateInputs()
    {
        if (!Directory.Exists(RootDirectory / Definitions.EnvironmentFile.Folder)) return;
        Definitions.EnvironmentFile.CheckName(EnvironmentName, RootDirectory);
        if (PromoteFrom is not null) Definitions.EnvironmentFile.CheckName(PromoteFrom, RootDirectory, "--from-environment");
        var root = EnvironmentRoot;
        if (root.Optional("groups") is not null)
        {
            if (DeployGroup is null) _ = DeployDefinition;
            else NamingFlag("--group", DeployGroup, () => DeployDefinition.Group(DeployGroup));
        }
        Publishing.RegistriesDefinition.Read(root);
        if (root.Optional("certificates") is not null) _ = CertificatesDefinition;
        if (root.Optional("s3") is not null) Backups.S3Definition.Load(root);
        if (root.Optional("backups") is not null)
        {
            var backups = Backups.BackupsDefinition.Load(root, RootDirectory);
            NamingFlag("--backup-set", string.Join(" ", BackupSet), () => backups.Select(BackupSet));
        }
    }

    /// <summary>A capability's refusal of a name the user gave, prefixed with the flag that gave it.</summary>
    static void NamingFlag(string flag, string value, Action check)
    {
        try { check(); }
        catch (UsageException e) when (e is not DefinitionException) { throw new UsageException($"{flag} {value}: {e.Message}"); }
    }

    /// <summary>The local environment's HAProxy frontend, where the deployed app answers.</summary>
    const int LocalFrontendPort = 25080;

    Target Default => _ => _
        .Description("The main job, whole chain on an environment (local by default): prerequisites, services, packages, images, cluster test, publish, certificates, deploy, backup.")
        .DependsOn(Prerequisites, Up, Packages, Images, ClusterTest, Publish, Certificates, Deploy, Backup)
        .Executes(async ct =>
        {
            if (EnvironmentName != "local") return;
            var url = $"http://127.0.0.1:{LocalFrontendPort}/heartbeat";
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var body = await http.GetStringAsync(url, ct);
            Log.Information($"The app answers through HAProxy at {url}: {body}");
        });

    Target Compile => _ => _
        .Description("Compile the solution (Pipeline.sln).")
        .Needs(Tool.Apt("git"))
        .Executes(ct => DotNet(["build", Solution, "-c", Configuration, "--nologo", "-v", "quiet", "-clp:NoSummary"], ct));

    AbsolutePath Solution => RootDirectory / "Pipeline.sln";

    /// <summary>Runs the dotnet CLI in the repository root with its output in the log.</summary>
    Task DotNet(IEnumerable<string> arguments, CancellationToken ct) =>
        Cli.Wrap("dotnet").WithArguments(arguments).WithWorkingDirectory(RootDirectory).WithLog().ExecuteAsync(ct);
}
