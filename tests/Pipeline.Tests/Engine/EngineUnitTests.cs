using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Engine.Graph;
using Pipeline.Engine.Parameters;
using System.Linq.Expressions;
using Xunit;

namespace Pipeline.Tests.Engine;

public class NamingTests
{
    [Theory]
    [InlineData("Configuration", "configuration", "CONFIGURATION")]
    [InlineData("MaxUnavailable", "max-unavailable", "MAX_UNAVAILABLE")]
    [InlineData("GitHubToken", "git-hub-token", "GIT_HUB_TOKEN")]
    [InlineData("S3Bucket", "s3-bucket", "S3_BUCKET")]
    [InlineData("AWSRegion", "aws-region", "AWS_REGION")]
    [InlineData("GenerateCI", "generate-ci", "GENERATE_CI")]
    [InlineData("Http2Port", "http2-port", "HTTP2_PORT")]
    public void Member_names_become_kebab_flags_and_UPPER_SNAKE_variables(string member, string kebab, string snake)
    {
        Naming.Kebab(member).Should().Be(kebab);
        Naming.UpperSnake(member).Should().Be(snake);
        Naming.Key("--" + kebab).Should().Be(Naming.Key(snake)).And.Be(Naming.Key(member));
    }
}

public class ValueConverterTests
{
    [Theory]
    [InlineData("90s", 90_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("250ms", 250)]
    [InlineData("2d", 172_800_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("00:05:00", 300_000)]
    [InlineData(" 10s ", 10_000)]
    public void ParseDuration_reads_units_and_clock_times(string text, long milliseconds) =>
        ValueConverter.ParseDuration(text).Should().Be(TimeSpan.FromMilliseconds(milliseconds));

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("soon")]
    [InlineData("5 m")]
    [InlineData("5x")]
    [InlineData("m5")]
    public void ParseDuration_rejects_what_is_not_a_duration(string text) =>
        FluentActions
            .Invoking(() => ValueConverter.ParseDuration(text))
            .Should()
            .Throw<FormatException>()
            .WithMessage("*is not a duration*");

    [Fact]
    public void Booleans_accept_the_usual_words()
    {
        foreach (var yes in new[] { "true", "TRUE", "1", "yes", "on" })
            ValueConverter.Convert([yes], typeof(bool), "/").Should().Be(true);
        foreach (var no in new[] { "false", "0", "no", "off" })
            ValueConverter.Convert([no], typeof(bool), "/").Should().Be(false);
        ValueConverter.Convert([], typeof(bool), "/").Should().Be(true);
    }

    [Fact]
    public void Paths_are_made_absolute_against_the_root()
    {
        ValueConverter.Convert(["a/../b"], typeof(AbsolutePath), "/repo").Should().Be(new AbsolutePath("/repo/b"));
        ValueConverter.Convert(["/etc/x/"], typeof(AbsolutePath), "/repo").Should().Be(new AbsolutePath("/etc/x"));
        ValueConverter
            .Convert(["a", "/b"], typeof(AbsolutePath[]), "/repo")
            .Should()
            .BeOfType<AbsolutePath[]>()
            .Which.Should()
            .Equal(new AbsolutePath("/repo/a"), new AbsolutePath("/b"));
    }
}

public class SuggestionsTests
{
    private static readonly string[] Targets = ["Compile", "Publish", "Deploy", "Certificates", "ClusterTest"];

    [Theory]
    [InlineData("Publsh", "Publish")]
    [InlineData("deploy", "Deploy")]
    [InlineData("certs", null)]
    [InlineData("cluster-tset", "ClusterTest")]
    [InlineData("xyzzy", null)]
    public void Closest_suggests_only_plausible_typos(string input, string? expected) =>
        Suggestions.Closest(input, Targets).Should().Be(expected);

    [Fact]
    public void With_any_distance_there_is_always_a_suggestion_unless_there_are_no_candidates()
    {
        Suggestions.Closest("xyzzy", Targets, anyDistance: true).Should().NotBeNull();
        Suggestions.Closest("x", [], anyDistance: true).Should().BeNull();
        Suggestions.DidYouMean("Compil", Targets).Should().Be(" Did you mean 'Compile'?");
        Suggestions.DidYouMean("qqqqqqqqq", Targets).Should().Be("");
    }

    [Fact]
    public void Distance_is_the_edit_distance()
    {
        Suggestions.Distance("kitten", "sitting").Should().Be(3);
        Suggestions.Distance("", "abc").Should().Be(3);
        Suggestions.Distance("same", "same").Should().Be(0);
    }
}

public class ExpressionTextTests
{
    private bool IsServerBuild => false;
    private readonly string Configuration = "Debug";
    private readonly int? Count = null;

    private static string Of<T>(Expression<Func<T>> e) => ExpressionText.Of(e);

    [Fact]
    public void Conditions_read_as_the_code_that_declared_them()
    {
        var local = true;
        Of(() => IsServerBuild).Should().Be("IsServerBuild");
        Of(() => !IsServerBuild).Should().Be("!IsServerBuild");
        Of(() => Configuration == "Release").Should().Be("Configuration == \"Release\"");
        Of(() => IsServerBuild && local).Should().Be("IsServerBuild && local");
        Of(() => IsServerBuild || !local).Should().Be("IsServerBuild || !local");
        Of<object?>(() => Count).Should().Be("Count");
    }

    [Fact]
    public void MemberName_names_the_member_a_requirement_reads()
    {
        ExpressionText.MemberName((Expression<Func<object?>>)(() => Count)).Should().Be("Count");
        ExpressionText.MemberName((Expression<Func<object?>>)(() => Configuration)).Should().Be("Configuration");
        ExpressionText.MemberName((Expression<Func<object?>>)(() => Configuration.Length > 2)).Should().BeNull();
    }
}

public class CommandLineTests
{
    [Fact]
    public void Leading_words_are_targets_and_flags_collect_the_words_after_them()
    {
        var line = CommandLine.Parse(["Deploy", "Publish", "--skip", "A", "B", "--count=3", "--force", "--names=x"]);
        line.Targets.Should().Equal("Deploy", "Publish");
        line.Find("skip")!.Values.Should().Equal("A", "B");
        line.Find("COUNT")!.Values.Should().Equal("3");
        line.Find("force")!.Values.Should().BeEmpty();
        line.Find("names")!.Values.Should().Equal("x");
        line.Find("missing").Should().BeNull();
    }

    [Fact]
    public void Words_after_a_switch_go_back_to_the_targets_unless_they_are_a_boolean()
    {
        var line = CommandLine.Parse(["--plan", "Deploy", "--force", "false", "--no-logo", "true", "Test"])
            .ReleaseSwitchValues(new HashSet<string> { "plan", "force", "nologo" });
        line.Targets.Should().Equal("Deploy", "Test");
        line.Find("plan")!.Values.Should().BeEmpty();
        line.Find("force")!.Values.Should().Equal("false");
        line.Find("no-logo")!.Values.Should().Equal("true");
    }
}
