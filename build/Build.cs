using CliWrap;
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
    readonly string EnvironmentName = DefaultEnvironment;

    /// <summary>The parameter's default; whether a run's services are local is decided by endpoints (<see
    /// cref="Engine.Services.OwnedAddress"/>), never by this name.</summary>
    const string DefaultEnvironment = "local";

    AbsolutePath EnvironmentFile => RootDirectory / "environments" / $"{EnvironmentName}.yml";
    string EnvironmentFileName => $"environments/{EnvironmentName}.yml";

    DefinitionNode? _environmentRoot;
    /// <summary>
    /// environments/&lt;name&gt;.yml, read and parsed once per run; its top-level keys are the sections the capabilities
    /// declare (<see cref="EnvironmentSectionAttribute"/>), and each capability validates its own sections.
    /// </summary>
    DefinitionNode EnvironmentRoot => _environmentRoot ??= Definitions.EnvironmentFile.Load(EnvironmentFile, EnvironmentFileName);

    /// <summary>The local HAProxy's frontend, where the deployed app answers when the environment's load balancer is that
    /// HAProxy.</summary>
    const int LocalFrontendPort = 25080;

    Target Default => _ => _
        .Description("The main job, whole chain on an environment (local by default): prerequisites, services, packages, images, cluster "
            + "test, publish, certificates, deploy, backup.")
        .DependsOn(Prerequisites, Up, Packages, Images, ClusterTest, Publish, Certificates, Deploy, Backup)
        .Executes(async ct =>
        {
            // The frontend is checked where the environment's load balancer is the local HAProxy (the rule of OwnedAddress).
            if (!LoadBalancerEndpoints().Any(e => HaproxyAddresses.Any(a => a.Matches(e)))) return;
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
        Cli.Wrap("dotnet").WithArguments(arguments).WithWorkingDirectory(RootDirectory).WithLog().RunAsync(ct);
}
