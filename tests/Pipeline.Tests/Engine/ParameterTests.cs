// [Parameter] fields are set by the engine through reflection (as build/_build.csproj notes for CS0649).
#pragma warning disable CS0649, CS0169, CS0414

using FluentAssertions;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.Tests.Engine;

public enum Strategy { Rolling, BlueGreen }

public class ParameterTests
{
    private sealed class Typed : PipelineBuild
    {
        [Parameter("A string.")] public string Name = "default-name";
        [Parameter("A switch.")] public bool Force;
        [Parameter("A whole number.")] public int Count = 1;
        [Parameter("A nullable number.")] public int? Optional;
        [Parameter("A duration.")] public TimeSpan Timeout = TimeSpan.FromMinutes(5);
        [Parameter("An enum.")] public Strategy Strategy = Strategy.Rolling;
        [Parameter("A list.")] public string[] Hosts = [];
        [Parameter("A list of numbers.")] public int[] Ports = [];
        [Parameter("A path.")] public AbsolutePath? Output;
        [Parameter("A property.")] public string? FromProperty { get; set; }

        Target Default => _ => _.Executes(() => { });
    }

    private static Task<BuildRun> Run(Typed build, string[] args, Dictionary<string, string>? env = null, AbsolutePath? root = null) =>
        EngineHarness.RunAsync(build, EngineHarness.DefaultOf<Typed>(), args, env, root);

    [Fact]
    public async Task Every_supported_type_is_read_from_the_command_line()
    {
        var build = new Typed();
        var run = await Run(build, ["--name", "web", "--force", "--count", "3", "--optional", "7", "--timeout", "1h30m",
            "--strategy", "blue-green", "--hosts", "a,b", "c", "--ports", "80", "443", "--output", "out/x", "--from-property=p"]);

        run.ExitCode.Should().Be(0, run.Output);
        build.Name.Should().Be("web");
        build.Force.Should().BeTrue();
        build.Count.Should().Be(3);
        build.Optional.Should().Be(7);
        build.Timeout.Should().Be(TimeSpan.FromMinutes(90));
        build.Strategy.Should().Be(Strategy.BlueGreen);
        build.Hosts.Should().Equal("a", "b", "c");
        build.Ports.Should().Equal(80, 443);
        build.Output!.Value.Should().Be(run.Root / "out" / "x");
        build.FromProperty.Should().Be("p");
    }

    [Fact]
    public async Task Unset_parameters_keep_their_defaults()
    {
        var build = new Typed();
        (await Run(build, [])).ExitCode.Should().Be(0);
        build.Name.Should().Be("default-name");
        build.Force.Should().BeFalse();
        build.Count.Should().Be(1);
        build.Optional.Should().BeNull();
        build.Timeout.Should().Be(TimeSpan.FromMinutes(5));
        build.Output.Should().BeNull();
    }

    [Fact]
    public async Task Environment_variables_are_UPPER_SNAKE_and_typed_like_the_command_line()
    {
        var build = new Typed();
        var env = new Dictionary<string, string>
        {
            ["NAME"] = "from-env",
            ["FORCE"] = "true",
            ["COUNT"] = "4",
            ["TIMEOUT"] = "90s",
            ["STRATEGY"] = "BLUE_GREEN",
            ["HOSTS"] = "x y,z",
            ["OUTPUT"] = "/abs/path",
            ["FROM_PROPERTY"] = "q",
        };
        (await Run(build, [], env)).ExitCode.Should().Be(0);
        build.Name.Should().Be("from-env");
        build.Force.Should().BeTrue();
        build.Count.Should().Be(4);
        build.Timeout.Should().Be(TimeSpan.FromSeconds(90));
        build.Strategy.Should().Be(Strategy.BlueGreen);
        build.Hosts.Should().Equal("x", "y", "z");
        build.Output!.Value.Should().Be("/abs/path");
        build.FromProperty.Should().Be("q");
    }

    [Fact]
    public async Task An_empty_environment_variable_counts_as_unset()
    {
        var root = EngineHarness.NewRoot();
        File.WriteAllText(root / ".nuke" / "parameters.json", """{ "Name": "from-json" }""");
        var build = new Typed();
        (await Run(build, [], new() { ["FORCE"] = "", ["NAME"] = "", ["COUNT"] = "" }, root)).ExitCode.Should().Be(0);
        build.Force.Should().BeFalse();
        build.Name.Should().Be("from-json");
        build.Count.Should().Be(1);
    }

    [Fact]
    public async Task A_switch_takes_an_explicit_false_and_words_after_it_are_targets_again()
    {
        var build = new Typed();
        var run = await Run(build, ["--force", "false", "--no-logo", "Default"], new() { ["FORCE"] = "true" });
        run.ExitCode.Should().Be(0, run.Output);
        build.Force.Should().BeFalse();
        build.ExecutionPlan.Select(t => t.Name).Should().Equal("Default");
    }

    [Fact]
    public async Task Precedence_is_command_line_then_environment_then_profiles_later_first_then_parameters_json_then_default()
    {
        var root = EngineHarness.NewRoot();
        File.WriteAllText(
            root / ".nuke" / "parameters.json",
            """{ "$schema": "x", "Name": "json", "Count": 10, "Force": true, "Hosts": ["j1", "j2"], "Timeout": "2m", "Strategy": "blue-green" }"""
        );
        File.WriteAllText(root / ".nuke" / "parameters.ci.json", """{ "name": "ci", "count": 20, "hosts": "c1" }""");
        File.WriteAllText(root / ".nuke" / "parameters.fast.json", """{ "Count": 30 }""");

        var jsonOnly = new Typed();
        (await Run(jsonOnly, [], root: root)).ExitCode.Should().Be(0);
        (jsonOnly.Name, jsonOnly.Count, jsonOnly.Force, jsonOnly.Timeout, jsonOnly.Strategy)
            .Should()
            .Be(("json", 10, true, TimeSpan.FromMinutes(2), Strategy.BlueGreen));
        jsonOnly.Hosts.Should().Equal("j1", "j2");

        var profiles = new Typed();
        (await Run(profiles, ["--profile", "ci", "fast"], root: root)).ExitCode.Should().Be(0);
        (profiles.Name, profiles.Count, profiles.Timeout).Should().Be(("ci", 30, TimeSpan.FromMinutes(2)));
        profiles.Hosts.Should().Equal("c1");

        var reversed = new Typed();
        (await Run(reversed, ["--profile", "fast", "ci"], root: root)).ExitCode.Should().Be(0);
        reversed.Count.Should().Be(20);

        var env = new Typed();
        (await Run(env, ["--profile", "ci", "fast"], new() { ["COUNT"] = "40", ["NAME"] = "env" }, root)).ExitCode.Should().Be(0);
        (env.Name, env.Count).Should().Be(("env", 40));

        var cli = new Typed();
        (await Run(cli, ["--profile", "ci", "--count", "50"], new() { ["COUNT"] = "40" }, root)).ExitCode.Should().Be(0);
        (cli.Name, cli.Count).Should().Be(("ci", 50));

        var profileFromEnv = new Typed();
        (await Run(profileFromEnv, [], new() { ["PIPELINE_PROFILE"] = "ci,fast" }, root)).ExitCode.Should().Be(0);
        profileFromEnv.Count.Should().Be(30);

        var commaProfiles = new Typed();
        (await Run(commaProfiles, ["--profile", "ci,fast"], root: root)).ExitCode.Should().Be(0);
        commaProfiles.Count.Should().Be(30);
    }

    [Theory]
    [InlineData(new[] { "--count", "many" }, "command line --count: 'many' is not a whole number (e.g. --count 2).")]
    [InlineData(
        new[] { "--timeout", "soon" },
        "command line --timeout: 'soon' is not a duration (e.g. 90s, 5m, 1h30m, 00:05:00) (e.g. --timeout 5m)."
    )]
    [InlineData(
        new[] { "--strategy", "canary" },
        "command line --strategy: 'canary' is not one of rolling, blue-green (e.g. --strategy rolling)."
    )]
    [InlineData(new[] { "--ports", "80", "http" }, "command line --ports: 'http' is not a whole number")]
    [InlineData(new[] { "--count" }, "command line --count: a value is missing")]
    public async Task A_bad_value_exits_2_with_one_line_naming_the_source_and_an_example(string[] args, string message)
    {
        var run = await Run(new Typed(), args);
        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain(message);
        run.Output.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: ");
    }

    [Fact]
    public async Task A_word_after_a_switch_that_is_neither_true_false_nor_a_target_says_the_switch_takes_no_value()
    {
        var run = await Run(new Typed(), ["--force", "maybe"]);
        run.ExitCode.Should().Be(2);
        run.Output.Trim().Should().Be("error: --force is a switch: it takes no value, or true/false, and 'maybe' is not a target either " +
                                      "(write --force alone, or --force false). See ./build.sh --help.");
    }

    [Fact]
    public async Task A_bad_value_from_the_environment_names_the_variable()
    {
        var run = await Run(new Typed(), [], new() { ["COUNT"] = "lots" });
        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("environment variable COUNT: 'lots' is not a whole number");
    }

    [Fact]
    public async Task Parameter_files_are_checked_names_json_and_profiles()
    {
        var root = EngineHarness.NewRoot();
        File.WriteAllText(root / ".nuke" / "parameters.json", """{ "Cuont": 3 }""");
        var run = await Run(new Typed(), [], root: root);
        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain(".nuke/parameters.json: Cuont: not a parameter of this build. Did you mean 'Count'?");

        File.WriteAllText(root / ".nuke" / "parameters.json", "{ not json");
        (await Run(new Typed(), [], root: root)).Output.Should().Contain(".nuke/parameters.json: not valid JSON");

        File.WriteAllText(root / ".nuke" / "parameters.json", "{}");
        var missing = await Run(new Typed(), ["--profile", "nope"], root: root);
        missing.ExitCode.Should().Be(2);
        missing.Output.Should().Contain("Profile 'nope' has no file .nuke/parameters.nope.json");

        File.WriteAllText(root / ".nuke" / "parameters.json", """{ "Count": "x" }""");
        (await Run(new Typed(), [], root: root)).Output.Should().Contain(".nuke/parameters.json: Count: 'x' is not a whole number");
    }
}
