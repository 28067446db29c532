using System.Diagnostics.CodeAnalysis;
namespace Pipeline.Engine;

/// <summary>
/// The base of the build class, as NukeBuild is: shared paths, the engine's own parameters, and
/// <see cref="Execute{T}"/> as the program's entry.
/// </summary>
/// <remarks>The engine reads a build's targets (properties), parameters (fields and properties) and a fresh instance's
/// defaults (its constructor) by reflection; <see cref="Members"/> on the class keeps them in the native build and lets the
/// trim analyzer check every <c>GetType()</c> of a build.</remarks>
[DynamicallyAccessedMembers(Members)]
public abstract class PipelineBuild
{
    /// <summary>What the engine reads of a build by reflection.</summary>
    public const DynamicallyAccessedMemberTypes Members =
        DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.NonPublicProperties
        | DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.NonPublicFields
        | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;

    [Parameter("Targets to run (the words before the first flag do the same).", EnvironmentVariable = "PIPELINE_TARGET", Name = "Target")]
    public string[] Targets = [];

    [Parameter("Targets to leave out of the plan; their dependencies still run.", EnvironmentVariable = "PIPELINE_SKIP")]
    public string[]? Skip;

    [Parameter("Show targets and parameters, then exit.", EnvironmentVariable = "PIPELINE_HELP")]
    public bool Help;

    [Parameter(
        "Print the execution order and write artifacts/plan.html, then exit without running anything.",
        EnvironmentVariable = "PIPELINE_PLAN",
        Name = "Plan"
    )]
    public bool PlanOnly;

    [Parameter("How much the console shows: quiet, minimal, normal, verbose.", EnvironmentVariable = "PIPELINE_VERBOSITY")]
    public Verbosity Verbosity = Verbosity.Normal;

    [Parameter("Do not print the logo.", EnvironmentVariable = "PIPELINE_NO_LOGO")]
    public bool NoLogo;

    [Parameter("Parameter profiles: .nuke/parameters.<profile>.json, later ones win.", EnvironmentVariable = "PIPELINE_PROFILE")]
    public string[] Profile = [];

    /// <summary>The repository root: the folder holding <c>.nuke/</c>.</summary>
    public AbsolutePath RootDirectory { get; internal set; } = new("/");
    public AbsolutePath TemporaryDirectory => RootDirectory / ".nuke" / "temp";
    public AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";

    /// <summary>Process environment as the build saw it (injectable in tests).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; internal set; } = new Dictionary<string, string>();

    public bool IsServerBuild => EnvironmentVariables.ContainsKey("CI") || IsGitHubActions;
    public bool IsLocalBuild => !IsServerBuild;
    public bool IsGitHubActions => EnvironmentVariables.GetValueOrDefault("GITHUB_ACTIONS") == "true";
    public bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// The exit code of a run in which every target succeeded; 0 unless a target sets another, as Plan's
    /// <c>--detailed-exitcode</c> does to say "changes pending" (failures keep their own codes).
    /// </summary>
    public int SuccessExitCode { get; protected set; } = ExitCodes.Success;

    /// <summary>The targets of this run, in order, once the plan is made.</summary>
    public IReadOnlyList<ExecutableTarget> ExecutionPlan { get; internal set; } = [];

    /// <summary>Every target of the build, for targets that reason about the graph (Prerequisites, GenerateCI).</summary>
    public IReadOnlyList<ExecutableTarget> AllTargets { get; internal set; } = [];

    /// <summary>
    /// Checks what the user supplied beyond single parameter values (e.g. the definition file a parameter names)
    /// once parameters are bound, before anything is written or runs (--plan included, --help not); throws a
    /// <see cref="UsageException"/>, printed as one line.
    /// </summary>
    protected internal virtual void ValidateInputs() { }

    /// <summary>
    /// Run on the thread pool once the plan is made (not for --help or --plan), while the inputs are checked: pays, one after
    /// the other, the first use of what the planned targets reach for (a client's connection, process start-up), so that it
    /// overlaps the checks and the earlier targets on an idle core. Must change nothing outside the process; never throws.
    /// </summary>
    protected internal virtual Task WarmUpAsync() => Task.CompletedTask;

    /// <summary>The program's entry: <c>public static Task&lt;int&gt; Main(string[] args) => Execute&lt;Build&gt;(args, x =>
    /// x.Default);</c></summary>
    public static Task<int> Execute<T>(string[] args, Func<T, Target> defaultTarget) where T : PipelineBuild, new() =>
        new BuildHost(BuildHostOptions.FromProcess(args)).RunAsync(new T(), b => defaultTarget((T)b));
}
