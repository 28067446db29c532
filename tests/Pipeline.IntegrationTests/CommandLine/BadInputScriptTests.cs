using FluentAssertions;
using Xunit;

namespace Pipeline.IntegrationTests.CommandLine;

/// <summary>
/// The bad inputs of issue 15, through the real <c>./build.sh</c>: each exits 2 with one line naming the flag or file
/// (and its line), no stack trace, before any target runs.
/// </summary>
[Collection(BuildScriptCollection.Name)]
public class BadInputScriptTests(BuildScript script)
{
    [Theory]
    [InlineData(
        new[] { "Deploy", "--environment", "environments/staging.yml" },
        "error: --environment environments/staging.yml: give the environment's name, not a path (write --environment staging)."
    )]
    [InlineData(
        new[] { "Deploy", "--environment", "stagng" },
        "error: --environment stagng: there is no environments/stagng.yml. Did you mean 'staging'? Environments: local, production, "
        + "staging."
    )]
    [InlineData(
        new[] { "Deploy", "--environment", "staging", "--environment", "production" },
        "error: --environment is given 2 times (--environment staging, then --environment production): give it once."
    )]
    [InlineData(
        new[] { "Deploy", "--lock-wait", "99999999999999d" },
        "error: command line --lock-wait: '99999999999999d' is too long (at most 10675199 days) (e.g. --lock-wait 5m)."
    )]
    [InlineData(
        new[] { "Deploy", "--max-unavailable", "99999999999" },
        "error: command line --max-unavailable: '99999999999' is too large (at most 2147483647) (e.g. --max-unavailable 2)."
    )]
    [InlineData(new[] { "Images", "--parallel", "-3" }, "error: command line --parallel: must be at least 1, not -3.")]
    [InlineData(
        new[] { "Images", "--keep-on-error", "maybe" },
        "error: --keep-on-error is a switch: it takes no value, or true/false, and 'maybe' is not a target either (write --keep-on-error "
        + "alone, or --keep-on-error false). See ./build.sh --help."
    )]
    [InlineData(
        new[] { "Deploy", "--group", "wbe" },
        "error: --group wbe: environment 'local' has no group 'wbe'. Did you mean 'web'?  Groups: web"
    )]
    [InlineData(
        new[] { "Promote", "--from-environment", "environments/local.yml" },
        "error: --from-environment environments/local.yml: give the environment's name, not a path (write --from-environment local)."
    )]
    public async Task A_bad_command_line_exits_2_with_one_line_and_runs_nothing(string[] arguments, string expected)
    {
        var result = await script.RunAsync(arguments);

        result.ExitCode.Should().Be(2, result.StandardOutput + result.StandardError);
        result.StandardOutput.Trim().Should().Be(expected);
        result.StandardError.Should().NotContain("   at ");
    }
}
