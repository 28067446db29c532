using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Process;

namespace Pipeline.Tools.Apt;

/// <summary>
/// Installs the Debian and npm packages behind missing tools when running as root; otherwise fails naming
/// the exact command to run.
/// </summary>
public sealed class PrerequisiteInstaller(bool isRoot, bool dryRun)
{
    public async Task InstallAsync(IEnumerable<Tool> tools, CancellationToken ct)
    {
        var all = tools.DistinctBy(t => t.Command).ToList();
        var missing = ToolCheck.Missing(all);
        if (missing.Count == 0)
        {
            Log.Information(
                $"All {all.Count} tools are installed{(all.Count > 0 ? ": " + string.Join(", ", all.Select(t => t.Command)) : "")}."
            );
            return;
        }
        var command = ToolCheck.InstallCommands(missing);
        if (dryRun)
        {
            Log.Information($"Would install: {command}");
            return;
        }
        if (!isRoot)
            throw new PipelineException($"Missing {string.Join(", ", missing.Select(t => t.Command))}; not root, so run: {command}");

        var apt = missing.Where(t => t.Source == ToolSource.Apt).Select(t => t.Package).Distinct().ToList();
        if (apt.Count > 0)
        {
            if (!AptListsPresent()) await Run("apt-get", [.. WaitForLock, "update", "-q"], ct);
            try
            {
                await Run("apt-get", [.. WaitForLock, "install", "-y", "-q", "--no-install-recommends", .. apt], ct);
            }
            catch (CommandException)
            {
                Log.Warning("apt-get install failed; refreshing the package lists and trying once more.");
                await Run("apt-get", [.. WaitForLock, "update", "-q"], ct);
                await Run("apt-get", [.. WaitForLock, "install", "-y", "-q", "--no-install-recommends", .. apt], ct);
            }
        }
        var npm = missing.Where(t => t.Source == ToolSource.Npm).Select(t => t.Package).Distinct().ToList();
        if (npm.Count > 0) await Run("npm", ["install", "-g", "--no-audit", "--no-fund", .. npm], ct);

        var still = ToolCheck.Missing(missing);
        if (still.Count > 0)
            throw new PipelineException($"Still missing after install: {string.Join(", ", still)}");
        Log.Information($"Installed {string.Join(", ", missing.Select(t => t.Package).Distinct())}.");
    }

    /// <summary>
    /// apt waits for another apt (a fresh cloud machine's unattended-upgrades, a second build) to release dpkg's lock,
    /// printing who holds it, instead of failing at once.
    /// </summary>
    private static readonly string[] WaitForLock = ["-o", "DPkg::Lock::Timeout=600"];

    private static bool AptListsPresent() =>
        Directory.Exists("/var/lib/apt/lists") && Directory.EnumerateFiles("/var/lib/apt/lists", "*Packages*").Any();

    private static Task Run(string tool, string[] args, CancellationToken ct) =>
        Cli.Wrap(tool).WithArguments(args).WithEnvironment("DEBIAN_FRONTEND", "noninteractive").WithLog().RunAsync(ct);
}
