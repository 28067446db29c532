using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Engine.Graph;
using Pipeline.Testing;
using System.Text.RegularExpressions;
using Xunit;

namespace Pipeline.Tests.Engine;

/// <summary>
/// A fresh machine gets every tool through the targets' <c>Needs(...)</c>: these scans fail when code or a test starts
/// an executable that nothing declares (so that only a hand-installed machine would pass).
/// </summary>
public partial class ToolDeclarationTests
{
    private static readonly IReadOnlyList<ExecutableTarget> Targets = TargetGraph.Create(new Pipeline.Build()).Targets;

    [Fact]
    public void Every_executable_a_test_or_fixture_starts_is_declared_by_the_Test_target()
    {
        var declared = Commands(Targets.Single(t => t.Name == "Test").Tools);

        var undeclared = StartedIn("tests").Where(s => !declared.Contains(s.Command) && !TestTools.BaseSystem.Contains(s.Command));

        undeclared.Select(s => $"{s.Command} ({s.File})").Should().BeEmpty(
            "every tool a test starts must be in TestTools.Started, so that ./build.sh Test installs it on a fresh machine");
    }

    [Fact]
    public void Every_executable_the_build_starts_is_declared_by_some_target()
    {
        var declared = Commands(Targets.SelectMany(t => t.Tools));

        var undeclared = StartedIn("build").Where(s => !declared.Contains(s.Command) && !TestTools.BaseSystem.Contains(s.Command));

        undeclared.Select(s => $"{s.Command} ({s.File})").Should().BeEmpty("every tool a target starts must be declared with Needs(...)");
    }

    [Fact]
    public void The_Test_target_needs_every_tool_of_the_targets_the_tests_exercise()
    {
        var declared = Commands(Targets.Single(t => t.Name == "Test").Tools);

        var missing = Targets.Where(t => t.Name is not ("Benchmark" or "Test"))
            .SelectMany(t => t.Tools.Select(tool => (t.Name, tool.Command)))
            .Where(x => !declared.Contains(x.Command));

        missing.Select(x => $"{x.Command} (declared by {x.Name})").Should().BeEmpty();
    }

    [Fact]
    public void The_Test_target_installs_its_tools_first()
    {
        Targets.Single(t => t.Name == "Test").Dependencies.Select(t => t.Name).Should().Contain("Prerequisites");
    }

    private static HashSet<string> Commands(IEnumerable<Tool> tools) => tools.Select(t => Path.GetFileName(t.Command)).ToHashSet();

    /// <summary>Literal executables in the sources: Cli.Wrap("x"), ProcessStartInfo("x"), Shell.RunAsync("x"), LocalService(name, "x"),
    /// Tool.Apt("x").</summary>
    private static IEnumerable<(string Command, string File)> StartedIn(string folder)
    {
        var root = Pipeline.Tests.CI.WorkflowTestSupport.RepositoryRoot() / folder;
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains("/bin/") || file.Contains("/obj/") || MechanismTests.Contains(Path.GetFileName(file))) continue;
            foreach (Match m in StartPattern().Matches(File.ReadAllText(file)))
                foreach (Capture c in m.Groups["command"].Captures)
                {
                    var command = Path.GetFileName(c.Value);
                    if (IsPlaceholder(command)) continue;
                    yield return (command, Path.GetRelativePath(root, file));
                }
        }
    }

    /// <summary>The tests of the declaration mechanism itself, which name made-up tools on purpose.</summary>
    private static readonly HashSet<string> MechanismTests = ["PrerequisiteTests.cs", "ToolDeclarationTests.cs"];

    /// <summary>The made-up names the engine's own tests use to show a missing tool.</summary>
    private static bool IsPlaceholder(string command) =>
        string.IsNullOrWhiteSpace(command) || command.StartsWith("pipeline-", StringComparison.Ordinal) || command == "tool";

    [GeneratedRegex(
        """(?:Cli\.Wrap|new ProcessStartInfo|Shell\.(?:Run|Try)Async|Tool\.(?:Apt|Npm))\(\s*"(?<command>[^"]*)"|new LocalService\([^,;]+,\s*"(?<command>[^"]+)"|Shell\.Require\((?:\s*"(?<command>[^"]+)",?)+"""
    )]
    private static partial Regex StartPattern();
}
