namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// upload-artifact and download-artifact (v4) as documented. Upload: the files under the <c>path</c> lines, less those under
/// a <c>!</c> line, kept relative to the least common ancestor of the included paths; <c>if-no-files-found</c> (warn, error,
/// ignore); a name already uploaded in the run fails unless <c>overwrite</c>. Download: one artifact by <c>name</c> (missing:
/// the step fails), or every artifact matching <c>pattern</c> ('{a,b}' and '*'), each into its own folder, or all into
/// <c>path</c> with <c>merge-multiple</c>.
/// </summary>
internal static class RunnerArtifacts
{
    public static bool Upload(JobExecution job, Dictionary<string, string> with)
    {
        var workspace = job.Machine.Workspace;
        var lines = with["path"].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var included = lines.Where(l => !l.StartsWith('!')).Select(l => Path.GetFullPath(Path.Combine(workspace, l))).ToList();
        var excluded = lines.Where(l => l.StartsWith('!')).Select(l => Path.GetFullPath(Path.Combine(workspace, l[1..]))).ToList();
        var files = included
            .SelectMany(p => File.Exists(p) ? [p]
                : Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [])
            .Where(f => !excluded.Any(x => f == x || f.StartsWith(x.TrimEnd('/') + "/", StringComparison.Ordinal)))
            .Distinct()
            .ToList();
        var name = with["name"];
        if (files.Count == 0)
        {
            var mode = with.GetValueOrDefault("if-no-files-found", "warn");
            job.Write($"{(mode == "error" ? "Error" : "Warning")}: No files were found with the provided path: {with["path"].Trim()}. "
                + "No artifacts will be uploaded.");
            return mode != "error";
        }
        var target = Path.Combine(job.Run.Artifacts, name);
        if (Directory.Exists(target))
        {
            if (with.GetValueOrDefault("overwrite") != "true")
            {
                job.Write($"Error: Failed to CreateArtifact: an artifact with this name already exists on the workflow run: {name}");
                return false;
            }
            Directory.Delete(target, recursive: true);
        }
        var root = Ancestor(included.Select(p => Directory.Exists(p) ? p.TrimEnd('/') : Path.GetDirectoryName(p)!));
        foreach (var file in files)
        {
            var copy = Path.Combine(target, Path.GetRelativePath(root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        job.Write($"Artifact {name} has been successfully uploaded ({files.Count} files)");
        return true;
    }

    public static bool Download(JobExecution job, Dictionary<string, string> with)
    {
        var destination = Path.GetFullPath(Path.Combine(job.Machine.Workspace, with.GetValueOrDefault("path", ".")));
        var uploaded = Directory.Exists(job.Run.Artifacts)
            ? Directory.GetDirectories(job.Run.Artifacts).Select(Path.GetFileName).ToList()
            : [];
        if (with.TryGetValue("name", out var name))
        {
            if (!uploaded.Contains(name))
            {
                job.Write($"Error: Unable to download artifact(s): Artifact not found for name: {name}");
                return false;
            }
            Copy(Path.Combine(job.Run.Artifacts, name), destination);
            job.Write($"Artifact {name} downloaded to {destination}");
            return true;
        }
        var matching = uploaded.Where(u => Matches(with["pattern"], u!)).ToList();
        var merge = with.GetValueOrDefault("merge-multiple") == "true";
        foreach (var artifact in matching)
            Copy(Path.Combine(job.Run.Artifacts, artifact!), merge ? destination : Path.Combine(destination, artifact!));
        job.Write($"Downloaded {matching.Count} artifact(s) matching {with["pattern"]}: {string.Join(", ", matching)}");
        return true;
    }

    private static bool Matches(string pattern, string name)
    {
        var open = pattern.IndexOf('{');
        if (open >= 0)
        {
            var close = pattern.IndexOf('}', open);
            return pattern[(open + 1)..close].Split(',').Any(a => Matches(pattern[..open] + a + pattern[(close + 1)..], name));
        }
        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*", ".*") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(name, regex);
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy, overwrite: true);
        }
    }

    private static string Ancestor(IEnumerable<string> folders) =>
        folders.Aggregate((a, b) =>
        {
            while (b != a && !b.StartsWith(a + "/", StringComparison.Ordinal)) a = Path.GetDirectoryName(a)!;
            return a;
        });
}
