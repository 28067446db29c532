namespace Pipeline.Clustering;

/// <summary>Which compose CLI runs the cluster: <c>docker compose</c> (v2 plugin) or Debian's <c>docker-compose</c> (v1).</summary>
public enum ComposeFlavor { V2, V1 }

/// <summary>
/// Pure argv builders for the compose CLI, the same arguments for both flavours: v2 is <c>docker compose …</c>,
/// v1 <c>docker-compose …</c>. Every command names the project and the rendered file explicitly.
/// </summary>
public sealed record ComposeCommands(ComposeFlavor Flavor, string Project, string File)
{
    public string Executable => Flavor == ComposeFlavor.V2 ? "docker" : "docker-compose";

    /// <summary>
    /// Variables compose interpolates into the file (<c>${CLUSTER_PASSWORD}</c>): the run's secrets, given to each
    /// compose process rather than written into the rendered file under .nuke/temp/.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Asks whether the v2 plugin is there (exit 0) — the probe that picks the flavour.</summary>
    public static IReadOnlyList<string> V2Probe => ["compose", "version"];

    public IReadOnlyList<string> Up() => Args("up", "-d", "--no-build", "--no-color");
    public IReadOnlyList<string> Ps() => Args("ps", "-a");
    public IReadOnlyList<string> Logs() => Args("logs", "--no-color", "--timestamps");
    public IReadOnlyList<string> Down(int stopSeconds = 5) =>
        Args("down", "-v", "--remove-orphans", "--timeout", stopSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The full command line as a user would type it (for <c>--keep</c> hints and the report).</summary>
    public string Display(IReadOnlyList<string> arguments) => string.Join(' ', [Executable, .. arguments.Select(Quote)]);

    /// <summary>Any compose subcommand for this project and file (v2's <c>compose</c> word first when it is the plugin).</summary>
    public IReadOnlyList<string> Args(params string[] command) =>
        [.. Flavor == ComposeFlavor.V2 ? ["compose"] : Array.Empty<string>(), "-p", Project, "-f", File, .. command];

    private static string Quote(string a) =>
        a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@".Contains(c)) ? a : $"'{a.Replace("'", "'\\''")}'";
}
