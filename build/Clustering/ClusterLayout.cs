using Pipeline.Definitions;
using Pipeline.Engine;

namespace Pipeline.Clustering;

/// <summary>
/// Where ClusterTest reads and leaves things on this machine: the virtual environment it starts
/// (<c>environments/virtual/</c>: the compose template, its companions, checks.yml), the images it runs
/// (<c>artifacts/images.json</c>), what a run leaves (<c>artifacts/cluster/</c>: report.md, junit.xml, the extra tests'
/// TRX and a failed run's logs/), and its own state (<c>.nuke/temp/cluster/</c>: each run's rendered compose folder and
/// the stamp of the last pass). One object, so no step joins paths by hand.
/// </summary>
/// <param name="Root">The repository root: environments/virtual/ is read there, and paths are printed relative to it.</param>
/// <param name="Artifacts">Where artifacts/images.json is read.</param>
/// <param name="Outputs">What a run leaves (tests give each run its own folder).</param>
/// <param name="StateDirectory">ClusterTest's local state.</param>
public sealed record ClusterLayout(AbsolutePath Root, AbsolutePath Artifacts, AbsolutePath Outputs, AbsolutePath StateDirectory)
{
    /// <summary>The layout of a build: outputs in <c>&lt;artifactsDirectory&gt;/cluster</c>, state in
    /// <c>&lt;temporaryDirectory&gt;/cluster</c>.</summary>
    public static ClusterLayout Of(AbsolutePath root, AbsolutePath artifactsDirectory, AbsolutePath temporaryDirectory) =>
        new(root, artifactsDirectory, artifactsDirectory / "cluster", temporaryDirectory / "cluster");

    /// <summary>environments/virtual/: the compose template, the files copied beside the rendered compose.yml, checks.yml,
    /// monitoring.yml.</summary>
    public AbsolutePath VirtualEnvironment => Root / EnvironmentFile.Folder / "virtual";

    /// <summary>The compose file with <c>${IMAGE_…}</c>, <c>${PORT_…}</c> and <c>${CLUSTER_…}</c> to render.</summary>
    public AbsolutePath Template => VirtualEnvironment / TemplateName;

    /// <summary>The checks a run makes, unless its options name another file.</summary>
    public AbsolutePath Checks => VirtualEnvironment / ChecksName;

    /// <summary>The cluster's Prometheus settings and scrape targets (optional).</summary>
    public AbsolutePath Monitoring => VirtualEnvironment / MonitoringName;

    /// <summary>artifacts/images.json: the baked images the template's <c>${IMAGE_…}</c> resolve to.</summary>
    public AbsolutePath ImagesManifest => Artifacts / "images.json";

    /// <summary>A failed run's diagnosis: every container's output, the health history, the compose transcript.</summary>
    public AbsolutePath Logs => Outputs / "logs";

    /// <summary>The run's report in Markdown.</summary>
    public AbsolutePath Report => Outputs / "report.md";

    /// <summary>The run's report in JUnit XML, for CI.</summary>
    public AbsolutePath JUnit => Outputs / "junit.xml";

    /// <summary>The TRX of the xunit project run against the cluster.</summary>
    public AbsolutePath ClusterTestResults => Outputs / "cluster-tests.trx";

    /// <summary>A run's folder: its rendered compose.yml and the companions copied from environments/virtual/.</summary>
    public AbsolutePath Run(string runId) => StateDirectory / runId;

    /// <summary>The input hash of the last run that passed.</summary>
    public AbsolutePath PassedStamp => StateDirectory / "passed.stamp";

    /// <summary>The files of environments/virtual/ that are inputs of the run, not copied beside compose.yml.</summary>
    public const string TemplateName = "compose.template.yml", ChecksName = "checks.yml", MonitoringName = "monitoring.yml";
}
