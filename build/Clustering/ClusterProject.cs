using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Clustering;

/// <summary>
/// One run's identity: a compose project name that is unique and valid for both compose flavours
/// (lower-case letters, digits, '-' and '_', starting with a letter or digit), and the labels every
/// container, network and volume of the run carries.
/// </summary>
public sealed partial record ClusterProject(string Name, string RunId)
{
    public const string Label = "pipeline.cluster";
    public const string LabelFilter = "pipeline.cluster=1";
    public const string RunLabel = "pipeline.cluster.run";
    /// <summary><c>pid:starttime</c> of the build that started the run, so a later run knows whether it was killed.</summary>
    public const string OwnerLabel = "pipeline.cluster.owner";
    /// <summary>Compose's own label naming a container's service.</summary>
    public const string ServiceLabel = "com.docker.compose.service";
    public const string ProjectLabel = "com.docker.compose.project";

    public static ClusterProject New(string prefix, DateTimeOffset now, int pid)
    {
        var runId =
            $"{now.UtcDateTime:yyyyMMdd'T'HHmmss}-{pid.ToString(CultureInfo.InvariantCulture)}-{Convert.ToHexString(Guid.NewGuid().ToByteArray()[..3]).ToLowerInvariant()}";
        return new ClusterProject(Sanitize($"{prefix}{runId}"), runId);
    }

    /// <summary>Lower-cases and replaces what compose does not accept; a name must start with a letter or digit.</summary>
    public static string Sanitize(string name)
    {
        var clean = Invalid().Replace(name.ToLowerInvariant(), "-").TrimStart('-', '_');
        return clean.Length == 0 ? "cluster" : clean;
    }

    public static bool IsValid(string name) => Valid().IsMatch(name);

    public string ContainerFilter => $"{ProjectLabel}={Name}";

    [GeneratedRegex("[^a-z0-9_-]")]
    private static partial Regex Invalid();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex Valid();
}
