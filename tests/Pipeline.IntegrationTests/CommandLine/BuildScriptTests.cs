using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Engine.Graph;
using Xunit;

namespace Pipeline.IntegrationTests.CommandLine;

[Collection(BuildScriptCollection.Name)]
public class BuildScriptTests(BuildScript script)
{
    private static readonly IReadOnlyList<ExecutableTarget> Listed =
        TargetGraph.Create(new Pipeline.Build()).Targets.Where(t => !t.IsUnlisted).ToList();

    [Fact]
    public async Task Help_exits_0_and_lists_every_target_with_its_description()
    {
        var result = await script.RunAsync("--help");

        result.ExitCode.Should().Be(0, result.StandardError);
        var lines = result.StandardOutput.Split('\n');
        foreach (var target in Listed)
            lines
                .Should()
                .Contain(
                    l => l.TrimStart().StartsWith(target.Name + " ", StringComparison.Ordinal) && l.Contains(target.Description),
                    $"--help lists {target.Name} with its description"
                );
        result.StandardOutput.Should().Contain("[env: CONFIGURATION] [default: Debug]");
    }

    [Fact]
    public async Task Where_a_C_toolchain_is_on_PATH_the_build_runs_native_and_finds_its_targets_in_the_same_order()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        var toolchain = new[] { "clang", "gcc" }.Any(tool => path.Any(dir => File.Exists(Path.Combine(dir, tool))))
            && Environment.GetEnvironmentVariable("PIPELINE_NATIVE") != "0";
        var stamp = (await File.ReadAllTextAsync(Path.Combine(script.Root, ".nuke", "temp", "build.stamp"))).Trim();

        stamp.Should().EndWith(toolchain ? " native" : " r2r", "build.sh compiles native where gcc or clang links it");
        var result = await script.RunAsync("--help");
        var listed = result.StandardOutput.Split('\n').Select(l => l.Trim().Split(' ')[0])
            .Where(word => Listed.Any(t => t.Name == word)).Distinct().ToList();
        listed.Should().Equal(Listed.Select(t => t.Name), "the native build's reflection keeps the declaration order");
    }

    [Fact]
    public async Task Plan_prints_the_order_and_writes_the_plan_page()
    {
        var page = Path.Combine(script.Root, "artifacts", "plan.html");
        var before = File.Exists(page) ? File.GetLastWriteTimeUtc(page) : DateTime.MinValue;

        var result = await script.RunAsync("--plan", "Deploy");

        result.ExitCode.Should().Be(0, result.StandardOutput + result.StandardError);
        result.StandardOutput.Should().Contain("Execution plan:").And.MatchRegex(@"\d+\. Publish\s*\n(.*\n)*\s+\d+\. Deploy")
            .And.Contain("Wrote artifacts/plan.html");
        File.GetLastWriteTimeUtc(page).Should().BeAfter(before);
        var html = await File.ReadAllTextAsync(page);
        html.Should().Contain("<svg").And.Contain("node planned").And.Contain(". Deploy</text>");
    }

    [Fact]
    public async Task An_unknown_target_exits_2_and_suggests_the_closest_target()
    {
        var result = await script.RunAsync("Nonexistnt");

        result.ExitCode.Should().Be(2);
        var closest = Suggestions.Closest("Nonexistnt", Listed.Select(t => t.Name), anyDistance: true);
        result.StandardOutput.Should().Contain($"Unknown target 'Nonexistnt'. Did you mean '{closest}'?");
    }

    [Fact]
    public async Task A_close_typo_of_a_target_is_suggested()
    {
        var result = await script.RunAsync("Deplyo");
        result.ExitCode.Should().Be(2);
        result.StandardOutput.Should().Contain("Did you mean 'Deploy'?");
    }

    [Fact]
    public async Task An_unknown_flag_exits_2_with_one_line()
    {
        var result = await script.RunAsync("--unknown-flag");

        result.ExitCode.Should().Be(2);
        result.StandardOutput.Trim().Should().StartWith("error: Unknown parameter '--unknown-flag'").And.NotContain("\n");
    }

    [Fact]
    public async Task A_secret_given_through_an_environment_variable_is_masked_in_the_console_and_the_build_log()
    {
        // Any [Secret] string parameter of the real build (AptSigningKey today); the secret reaches the output
        // through the unknown-target error, which echoes the name typed.
        var secret = Pipeline
            .Engine.Parameters.ParameterInfo.Discover(typeof(Pipeline.Build))
            .First(p => p.IsSecret && p.Type == typeof(string));
        var value = "s3cr3t-" + Guid.NewGuid().ToString("N")[..10];
        var started = DateTime.UtcNow.AddSeconds(-1);

        var result = await script.RunAsync([value], new Dictionary<string, string> { [secret.EnvironmentVariable] = value });

        result.ExitCode.Should().Be(2);
        result.StandardOutput.Should().Contain("Unknown target '****'");
        (result.StandardOutput + result.StandardError).Should().NotContain(value);
        var logs = Directory.GetFiles(Path.Combine(script.Root, ".nuke", "temp"), "build*.log")
            .Where(f => File.GetLastWriteTimeUtc(f) >= started).ToList();
        logs.Should().NotBeEmpty();
        // A log still held by a running build (e.g. the ./build.sh Test that runs this test) is skipped.
        logs.Select(ReadUnlessLocked)
            .OfType<string>()
            .Should()
            .Contain(l => l.Contains("Unknown target '****'"))
            .And.NotContain(l => l.Contains(value));
    }

    private static string? ReadUnlessLocked(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException) { return null; }
    }

    [Fact]
    public async Task A_bad_parameter_value_from_the_environment_exits_2_naming_the_variable()
    {
        var result = await script.RunAsync(["--plan", "Benchmark"], new Dictionary<string, string> { ["BENCHMARK_RUNS"] = "many" });

        result.ExitCode.Should().Be(2);
        result.StandardOutput.Should().Contain("environment variable BENCHMARK_RUNS: 'many' is not a whole number");
    }
}
