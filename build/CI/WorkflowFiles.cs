using Pipeline.Engine;
using Pipeline.Engine.Parameters;

namespace Pipeline.CI;

/// <summary>The generated files under <c>.github/workflows/</c>: render, write, and compare with what is committed.</summary>
public static class WorkflowFiles
{
    public const string Folder = ".github/workflows";
    public const string FixCommand = "./build.sh GenerateCI";

    /// <summary>File name (e.g. <c>pipeline.yml</c>) to its content, in declaration order.</summary>
    public static IReadOnlyList<(string FileName, string Content)> Render(
        IEnumerable<WorkflowDeclaration> declarations,
        IReadOnlyList<ExecutableTarget> graph,
        IReadOnlyList<ParameterInfo> parameters,
        CiContext context
    ) => declarations.Select(d => (d.FileName, WorkflowYaml.Write(WorkflowGenerator.Generate(d, graph, parameters, context)))).ToList();

    public static async Task<IReadOnlyList<AbsolutePath>> WriteAsync(
        AbsolutePath root, IReadOnlyList<(string FileName, string Content)> files, CancellationToken ct)
    {
        var folder = root / Folder;
        folder.CreateDirectory();
        var written = new List<AbsolutePath>();
        foreach (var (name, content) in files)
        {
            var path = folder / name;
            if (File.Exists(path) && await File.ReadAllTextAsync(path, ct) == content)
            {
                Log.Information($"{Folder}/{name} is up to date.");
            }
            else
            {
                await File.WriteAllTextAsync(path, content, ct);
                Log.Information($"Wrote {Folder}/{name}.");
            }
            written.Add(path);
        }
        return written;
    }

    /// <summary>One line per file that differs from what would be generated now; empty when all match.</summary>
    public static IReadOnlyList<string> Differences(AbsolutePath root, IReadOnlyList<(string FileName, string Content)> files)
    {
        var differences = new List<string>();
        foreach (var (name, content) in files)
        {
            var path = root / Folder / name;
            if (!File.Exists(path)) { differences.Add($"{Folder}/{name} is missing"); continue; }
            var committed = File.ReadAllText(path);
            if (committed == content) continue;
            var a = committed.Split('\n');
            var b = content.Split('\n');
            var line = Enumerable.Range(0, Math.Max(a.Length, b.Length))
                .First(i => i >= a.Length || i >= b.Length || a[i] != b[i]);
            differences.Add($"{Folder}/{name}:{line + 1}: committed '{At(a, line)}', generated '{At(b, line)}'");
        }
        return differences;
    }

    private static string At(string[] lines, int i) => i < lines.Length ? lines[i].Trim() : "<end of file>";
}
