using CliWrap;
using Pipeline.Tools.Process;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// actions/cache as documented: at its step, the entry of the exact <c>key</c> is restored (output <c>cache-hit</c> true),
/// else the newest entry whose key starts with one of <c>restore-keys</c> (cache-hit false), else nothing; when the job ends
/// successfully without an exact hit, the paths are saved under <c>key</c> (an existing key is never overwritten). Paths are
/// kept relative to the workspace or to the home (<c>~/</c>), so an entry restores on any machine. The log lines are the
/// action's own ("Cache restored from key: …", "Cache not found for input keys: …", "Cache saved with key: …").
/// </summary>
internal static class RunnerCache
{
    public static async Task<bool> RestoreAsync(JobExecution job, WorkflowStep step, Dictionary<string, string> with, CancellationToken ct)
    {
        var key = with["key"];
        var paths = Lines(with["path"]);
        var prefixes = with.TryGetValue("restore-keys", out var r) ? Lines(r) : [];
        var store = job.Run.CacheStore;
        Directory.CreateDirectory(store);
        var exact = Entry(store, key);
        var hit = Directory.Exists(exact)
            ? exact
            : prefixes.Select(p => new DirectoryInfo(store).EnumerateDirectories()
                .Where(d => Key(d.FullName).StartsWith(p, StringComparison.Ordinal))
                .OrderByDescending(d => d.CreationTimeUtc).FirstOrDefault()?.FullName).FirstOrDefault(d => d is not null);
        if (hit is null) job.Write($"Cache not found for input keys: {string.Join(", ", [key, .. prefixes])}");
        else
        {
            foreach (var (root, archive) in Roots(job)) if (File.Exists(Path.Combine(hit, archive)))
                await Cli.Wrap("tar").WithArguments(["-xf", Path.Combine(hit, archive), "-C", root]).RunBufferedAsync(ct);
            job.Write($"Cache restored from key: {Key(hit)}");
        }
        var exactHit = hit == exact;
        if (step.Id is not null) job.Output(step.Id, "cache-hit", exactHit ? "true" : "false");
        if (!exactHit) job.AtEnd(token => SaveAsync(job, key, paths, token));
        return true;
    }

    private static async Task SaveAsync(JobExecution job, string key, IReadOnlyList<string> paths, CancellationToken ct)
    {
        var entry = Entry(job.Run.CacheStore, key);
        if (!job.Succeeded || Directory.Exists(entry)) return;
        var staging = entry + ".saving";
        Directory.CreateDirectory(staging);
        var saved = 0;
        foreach (var (root, archive) in Roots(job))
        {
            var relative = paths
                .Select(p => root == job.Machine.Home ? (p.StartsWith("~/") ? p[2..] : null) : (p.StartsWith("~/") ? null : p))
                .Where(p => p is not null && (File.Exists(Path.Combine(root, p)) || Directory.Exists(Path.Combine(root, p))))
                .ToList();
            if (relative.Count == 0) continue;
            await Cli.Wrap("tar").WithArguments(["-cf", Path.Combine(staging, archive), "-C", root, .. relative!]).RunBufferedAsync(ct);
            saved += relative.Count;
        }
        if (saved == 0)
        {
            Directory.Delete(staging, recursive: true);
            job.Write($"Warning: Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is "
                + "being saved.");
            return;
        }
        Commit(staging, entry, key);
        job.Write($"Cache saved with key: {key}");
    }

    /// <summary>An entry for <paramref name="key"/> made from <paramref name="root"/>'s files at the workspace paths, unless one is
    /// there or a path is missing.</summary>
    public static async Task WarmAsync(string store, string key, string root, string paths, CancellationToken ct)
    {
        var entry = Entry(store, key);
        var relative = Lines(paths);
        if (Directory.Exists(entry) || !relative.All(p => File.Exists(Path.Combine(root, p)) || Directory.Exists(Path.Combine(root, p))))
            return;
        var staging = Directory.CreateDirectory(entry + ".saving").FullName;
        await Cli.Wrap("tar").WithArguments(["-cf", Path.Combine(staging, "workspace.tar"), "-C", root, .. relative]).RunBufferedAsync(ct);
        Commit(staging, entry, key);
    }

    /// <summary>Makes a staged entry visible under its key in one rename, so a half-written entry is never restored.</summary>
    private static void Commit(string staging, string entry, string key)
    {
        File.WriteAllText(Path.Combine(staging, "key"), key);
        Directory.Move(staging, entry);
    }

    private static (string Root, string Archive)[] Roots(JobExecution job) =>
        [(job.Machine.Workspace, "workspace.tar"), (job.Machine.Home, "home.tar")];

    private static string Entry(string store, string key) =>
        Path.Combine(
            store,
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))
        );

    private static string Key(string entry) => File.ReadAllText(Path.Combine(entry, "key"));

    private static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
