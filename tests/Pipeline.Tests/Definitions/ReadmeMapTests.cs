using FluentAssertions;
using Pipeline.Tests.Packaging;
using System.Text.RegularExpressions;
using Xunit;

namespace Pipeline.Tests.Definitions;

/// <summary>The README's capability map is the newcomer's index: it must match the tree, both ways.</summary>
public sealed partial class ReadmeMapTests
{
    private static readonly string Root = RepositoryRoot.Path;

    private static List<string[]> Rows()
    {
        var readme = File.ReadAllLines(Path.Combine(Root, "README.md"));
        var start = Array.IndexOf(readme, "## Capability map");
        start.Should().BePositive("the README has a '## Capability map' section");
        return readme
            .Skip(start + 1)
            .TakeWhile(l => !l.StartsWith("#", StringComparison.Ordinal))
            .Where(l =>
                l.StartsWith("| ", StringComparison.Ordinal)
                && !l.StartsWith("| ---", StringComparison.Ordinal)
                && !l.StartsWith("| capability", StringComparison.Ordinal)
            )
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .ToList();
    }

    private static IEnumerable<string> Quoted(string cell) => Backticked().Matches(cell).Select(m => m.Groups[1].Value);

    private static IReadOnlyList<string> RealTargets() =>
        Pipeline.Engine.Graph.TargetGraph.Create(new Pipeline.Build()).Targets.Select(t => t.Name).ToList();

    [Fact]
    public void Every_target_in_the_map_exists_and_every_target_of_the_build_is_in_the_map()
    {
        var mapped = Rows().SelectMany(r => Quoted(r[1])).ToList();

        mapped.Should().OnlyContain(t => RealTargets().Contains(t), "the map names only targets of the build");
        RealTargets().Should().BeSubsetOf(mapped, "every target of the build has a row");
    }

    [Fact]
    public void Every_path_in_the_map_exists()
    {
        var paths = Rows().SelectMany(r => r.Skip(2).SelectMany(Quoted)).ToList();

        paths.Should().NotBeEmpty();
        paths.Where(p => !File.Exists(Path.Combine(Root, p)) && !Directory.Exists(Path.Combine(Root, p)))
            .Should().BeEmpty("every file and folder the map names exists");
    }

    [Fact]
    public void Every_partial_file_and_folder_of_the_build_and_the_tests_is_in_the_map()
    {
        var mapped = Rows().SelectMany(r => r.Skip(2).SelectMany(Quoted)).ToHashSet(StringComparer.Ordinal);
        string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');
        var tree = Directory.GetFiles(Path.Combine(Root, "build"), "Build*.cs").Select(Relative)
            .Concat(new[] { "build", "tests/Pipeline.Tests", "tests/Pipeline.IntegrationTests" }
                .SelectMany(d => Directory.GetDirectories(Path.Combine(Root, d)))
                .Select(Relative)
                .Where(d => !d.EndsWith("/bin", StringComparison.Ordinal) && !d.EndsWith("/obj", StringComparison.Ordinal)));

        tree.Where(p => !mapped.Contains(p)).Should().BeEmpty("every partial file and top folder has its place in the map");
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();
}
