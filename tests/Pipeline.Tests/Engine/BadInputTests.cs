// [Parameter] fields are set by the engine through reflection (as build/_build.csproj notes for CS0649).
#pragma warning disable CS0649, CS0169, CS0414

using FluentAssertions;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.Tests.Engine;

/// <summary>
/// Hostile and careless parameter input: each is refused when parameters are bound, before any target runs, with
/// one line naming the flag, variable or file (and line), exit 2, no stack trace.
/// </summary>
public class BadInputTests
{
    private sealed class Inputs : PipelineBuild
    {
        [Parameter("A duration.")] public TimeSpan Wait = TimeSpan.Zero;
        [Parameter("A whole number.")] public int Count = 1;
        [Parameter("At most this many at once.", Minimum = 1, Maximum = 64)] public int Parallel = 2;
        [Parameter("An optional cap.", Minimum = 1)] public int? Cap;
        [Parameter("A name.")] public string Environment = "local";
        [Parameter("A switch.")] public bool KeepOnError;
        [Parameter("A list.")] public string[] Hosts = [];

        public bool Ran;
        Target Default => _ => _.Executes(() => { Ran = true; });
    }

    private static async Task<(BuildRun Run, Inputs Build)> Run(
        string[] args,
        Dictionary<string, string>? env = null,
        AbsolutePath? root = null
    )
    {
        var build = new Inputs();
        var run = await EngineHarness.RunAsync(build, EngineHarness.DefaultOf<Inputs>(), args, env, root);
        return (run, build);
    }

    private static void OneLine(BuildRun run, Inputs build, string expected)
    {
        run.ExitCode.Should().Be(2, run.Output);
        run.Output.Trim().Should().Be("error: " + expected);
        build.Ran.Should().BeFalse();
        Directory.Exists(run.Root / ".nuke" / "temp").Should().BeFalse("nothing is written before the parameters are good");
    }

    [Theory]
    [InlineData("99999999999999d", "'99999999999999d' is too long (at most 10675199 days)")]
    [InlineData("100000000000000000000000000000h", "'100000000000000000000000000000h' is too long (at most 10675199 days)")]
    [InlineData("-00:00:05", "'-00:00:05' is negative (a duration is 0 or more)")]
    public async Task A_duration_that_overflows_is_a_usage_error_not_a_stack_trace(string value, string problem)
    {
        var (run, build) = await Run(["--wait", value]);
        OneLine(run, build, $"command line --wait: {problem} (e.g. --wait 5m).");
    }

    [Fact]
    public async Task A_number_that_overflows_says_it_is_too_large()
    {
        var (run, build) = await Run(["--count", "99999999999"]);
        OneLine(run, build, "command line --count: '99999999999' is too large (at most 2147483647) (e.g. --count 2).");
    }

    [Fact]
    public async Task A_negative_parallel_is_refused_at_bind_time()
    {
        var (run, build) = await Run(["--parallel", "-3"]);
        OneLine(run, build, "command line --parallel: must be at least 1, not -3.");
    }

    [Fact]
    public async Task Ranges_apply_to_every_source()
    {
        var (fromEnv, b1) = await Run([], new() { ["PARALLEL"] = "65" });
        OneLine(fromEnv, b1, "environment variable PARALLEL: must be at most 64, not 65.");
        var (optional, b2) = await Run(["--cap", "0"]);
        OneLine(optional, b2, "command line --cap: must be at least 1, not 0.");
        var (inRange, b3) = await Run(["--parallel", "64", "--cap", "1"]);
        inRange.ExitCode.Should().Be(0, inRange.Output);
        (b3.Parallel, b3.Cap).Should().Be((64, 1));
    }

    [Theory]
    [InlineData(
        new[] { "--environment", "staging", "--environment", "production" },
        "--environment is given 2 times (--environment staging, then --environment production): give it once."
    )]
    [InlineData(
        new[] { "--environment=staging", "--ENVIRONMENT", "production" },
        "--environment is given 2 times (--environment staging, then --ENVIRONMENT production): give it once."
    )]
    [InlineData(
        new[] { "--keep-on-error", "--keep-on-error", "false" },
        "--keep-on-error is given 2 times (--keep-on-error, then --keep-on-error false): give it once."
    )]
    [InlineData(
        new[] { "--hosts", "a", "--hosts", "b" },
        "--hosts is given 2 times (--hosts a, then --hosts b): give it once (a list takes several values: --hosts a b)."
    )]
    public async Task A_parameter_given_twice_is_refused_rather_than_the_last_winning(string[] args, string expected)
    {
        var (run, build) = await Run(args);
        OneLine(run, build, expected);
    }

    [Fact]
    public async Task A_switch_given_a_value_says_it_takes_none()
    {
        var (run, build) = await Run(["--keep-on-error", "maybe"]);
        OneLine(
            run,
            build,
            "--keep-on-error is a switch: it takes no value, or true/false, and 'maybe' is not a target either (write --keep-on-error "
            + "alone, or --keep-on-error false). See ./build.sh --help."
        );

        var (explicitly, b2) = await Run(["--keep-on-error", "true", "Default"]);
        explicitly.ExitCode.Should().Be(0, explicitly.Output);
        b2.KeepOnError.Should().BeTrue();
    }

    [Fact]
    public async Task A_key_written_twice_in_parameters_json_is_named_with_both_lines()
    {
        var root = EngineHarness.NewRoot();
        File.WriteAllText(
            root / ".nuke" / "parameters.json",
            "{\n  \"Environment\": \"staging\",\n  \"Count\": 2,\n  \"environment\": \"production\"\n}\n"
        );
        var (run, build) = await Run([], root: root);
        OneLine(
            run,
            build,
            ".nuke/parameters.json: environment: written twice (first as 'Environment' on line 2): keep one (line 4, column 3)"
        );
    }

    [Theory]
    // The fault's own line and column, 1-based, in words (no resource keys such as ExpectedSeparatorAfterPropertyNameNotFound).
    [InlineData(
        "{\n  \"Count\" 2\n}\n",
        ".nuke/parameters.json: not valid JSON: '2' is invalid after a property name. Expected a ':'. (line 2, column 11)"
    )]
    [InlineData(
        "{\n  \"Count\": 2,\n  \"Wait\": \n}\n",
        ".nuke/parameters.json: not valid JSON: '}' is an invalid start of a value. (line 4, column 1)"
    )]
    [InlineData(
        "[1, 2]",
        ".nuke/parameters.json: must be a JSON object of parameter names to values, e.g. { \"Environment\": \"staging\" } (line 1, column "
        + "1)"
    )]
    [InlineData(
        "{\n  \"Count\": { \"a\": 1 }\n}",
        ".nuke/parameters.json: Count: must be a value or a list of values, not an object (line 2, column 12)"
    )]
    [InlineData(
        "{\n\n  \"Cuont\": 3\n}",
        ".nuke/parameters.json: Cuont: not a parameter of this build. Did you mean 'Count'? (line 3, column 3)"
    )]
    [InlineData("{\n  \"Parallel\": 0\n}", ".nuke/parameters.json: Parallel: must be at least 1, not 0 (line 2, column 3)")]
    [InlineData("{\n  \"Count\": \"x\"\n}", ".nuke/parameters.json: Count: 'x' is not a whole number (e.g. --count 2) (line 2, column 3)")]
    public async Task Errors_in_parameters_json_read_as_sentences_at_the_right_line(string json, string expected)
    {
        var root = EngineHarness.NewRoot();
        File.WriteAllText(root / ".nuke" / "parameters.json", json);
        var (run, build) = await Run([], root: root);
        OneLine(run, build, expected);
    }

    [Fact]
    public async Task Bytes_that_are_not_UTF8_in_parameters_json_are_refused()
    {
        var root = EngineHarness.NewRoot();
        File.WriteAllBytes(root / ".nuke" / "parameters.json", [.. "{\n  \"Environment\": \"stag"u8, 0xFF, .. "ing\"\n}"u8]);
        var (run, build) = await Run([], root: root);
        OneLine(run, build, ".nuke/parameters.json: byte 0xFF is not UTF-8 (save the file as UTF-8) (line 2, column 23)");
    }

    [Fact]
    public async Task Parameters_json_keeps_accepting_schema_lists_nulls_and_numbers()
    {
        var root = EngineHarness.NewRoot();
        File.WriteAllText(
            root / ".nuke" / "parameters.json",
            "{ \"$schema\": \"./build.schema.json\", \"Hosts\": [\"a\", \"b\"], \"Count\": 7, \"Cap\": null, \"KeepOnError\": true }"
        );
        var (run, build) = await Run([], root: root);
        run.ExitCode.Should().Be(0, run.Output);
        (build.Count, build.Cap, build.KeepOnError).Should().Be((7, null, true));
        build.Hosts.Should().Equal("a", "b");
    }
}
