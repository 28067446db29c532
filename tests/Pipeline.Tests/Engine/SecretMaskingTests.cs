// [Parameter] fields are set by the engine through reflection (as build/_build.csproj notes for CS0649).
#pragma warning disable CS0649, CS0169, CS0414

using CliWrap;
using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.Tests.Engine;

public class SecretMaskingTests
{
    private const string Token = "tok-7Hs9-very-secret";
    private const string DefaultSecret = "default-pass-1234";
    private const string Generated = "generated-Xq81-at-run-time";

    private sealed class Leaky : PipelineBuild
    {
        [Parameter("Token for the API."), Secret] readonly string? ApiToken;
        [Parameter("Password with a default."), Secret] readonly string Password = DefaultSecret;
        [Parameter("A secret number."), Secret] readonly int? Pin;

        Target Default => _ => _.Description($"Uses the password {Password}.").DependsOn(Logs, Streams, Generates);
        Target Logs => _ => _.Executes(() =>
        {
            Log.Information($"the token is {ApiToken}");
            Log.Warning($"warning about {ApiToken}");
            Log.Debug($"debug with {ApiToken} and {Password}");
            Log.Closing($"closing with {ApiToken}");
        });
        Target Streams => _ => _.Executes(ct => DummyExe.Wrap("echo", "out:" + ApiToken, "more").WithLog().RunAsync(ct));
        Target Generates => _ => _.Executes(() =>
        {
            Secrets.Register(Generated);
            Log.Information($"made {Generated}");
        });
        Target ProcessFails => _ => _.ProceedAfterFailure()
            .Executes(ct => DummyExe.Wrap("print-secret", ApiToken!).WithLog().RunAsync(ct));
        Target ThrowsPipeline => _ => _.ProceedAfterFailure()
            .Executes(() => throw new PipelineException($"login with {ApiToken} refused"));
        Target ThrowsPlain => _ => _.ProceedAfterFailure()
            .Executes(() => throw new InvalidOperationException($"plain {ApiToken} failure\nwith {Generated} on line two"));
        Target ThrowsGenerated => _ => _.DependsOn(Generates).ProceedAfterFailure()
            .Executes(() => throw new Exception($"{Generated} leaked"));
        Target Everything => _ => _.DependsOn(Default, ProcessFails, ThrowsPipeline, ThrowsPlain, ThrowsGenerated);
    }

    private static Dictionary<string, string> Env(params (string, string)[] extra)
    {
        var env = new Dictionary<string, string> { ["API_TOKEN"] = Token };
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    private static void ShouldHideSecrets(BuildRun run)
    {
        var everything = run.EverythingWritten();
        everything.Should().NotContain(Token).And.NotContain(DefaultSecret).And.NotContain(Generated);
        everything.Should().NotContain("tok-7Hs9", "no part of the token either");
    }

    [Fact]
    public async Task A_secret_from_the_environment_never_appears_in_console_log_file_process_output_exceptions_or_summary()
    {
        var run = await EngineHarness.RunAsync(
            new Leaky(),
            EngineHarness.DefaultOf<Leaky>(),
            ["Everything", "--verbosity", "verbose"],
            Env()
        );

        run.ExitCode.Should().Be(1);
        ShouldHideSecrets(run);
        // Each path was really taken, with the secret masked.
        run.Output.Should().Contain("the token is ****").And.Contain("warning about ****").And.Contain("debug with **** and ****");
        run.Output.Should().Contain("out:****").And.Contain("more");
        run.Output.Should().Contain("made ****");
        run.Output.Should().Contain("login with **** refused").And.Contain("InvalidOperationException: plain **** failure");
        run.Output.Should().Contain("with **** on line two").And.Contain("**** leaked");
        run.Output.Should().Contain("closing with ****");
        run.SummaryRow("ThrowsPipeline").Should().Contain("Failed (login with **** refused)");
        run.SummaryRow("ThrowsPlain").Should().Contain("Failed (plain **** failure)");
        run.SummaryRow("ProcessFails").Should().Contain("Failed");
        run.BuildLog.Should().Contain("the token is ****").And.Contain("out:****").And.Contain("login with **** refused");
        run.Entries.Should().Contain(e => e.Message.Contains("****") && e.Target == "ProcessFails", "process stderr is streamed too");
    }

    [Fact]
    public async Task Secrets_are_masked_in_GitHub_Actions_annotations()
    {
        var run = await EngineHarness.RunAsync(
            new Leaky(),
            EngineHarness.DefaultOf<Leaky>(),
            ["ThrowsPipeline"],
            Env(("GITHUB_ACTIONS", "true"))
        );
        run.Output.Should().Contain("::error::login with **** refused");
        ShouldHideSecrets(run);
    }

    [Fact]
    public async Task Secrets_given_on_the_command_line_or_in_parameters_json_are_masked_too()
    {
        var cli = await EngineHarness.RunAsync(
            new Leaky(),
            EngineHarness.DefaultOf<Leaky>(),
            ["Logs", "--api-token", Token],
            new Dictionary<string, string>()
        );
        cli.Output.Should().Contain("the token is ****");
        ShouldHideSecrets(cli);

        var root = EngineHarness.NewRoot();
        File.WriteAllText(root / ".nuke" / "parameters.json", $$"""{ "ApiToken": "{{Token}}" }""");
        var file = await EngineHarness.RunAsync(
            new Leaky(),
            EngineHarness.DefaultOf<Leaky>(),
            ["Logs"],
            new Dictionary<string, string>(),
            root
        );
        file.Output.Should().Contain("the token is ****");
        ShouldHideSecrets(file);
    }

    [Fact]
    public async Task The_plan_page_and_plan_text_mask_secrets()
    {
        var run = await EngineHarness.RunAsync(new Leaky(), EngineHarness.DefaultOf<Leaky>(), ["--plan"], Env());

        run.ExitCode.Should().Be(0);
        File.ReadAllText(run.Root / "artifacts" / "plan.html").Should().Contain("Uses the password ****.");
        ShouldHideSecrets(run);
    }

    [Fact]
    public async Task Help_masks_secret_defaults()
    {
        var run = await EngineHarness.RunAsync(new Leaky(), EngineHarness.DefaultOf<Leaky>(), ["--help"], Env());
        run.Output.Should().Contain("Uses the password ****.");
        ShouldHideSecrets(run);
    }

    [Fact]
    public async Task A_secret_that_is_not_a_valid_value_is_not_echoed_in_the_usage_error()
    {
        var run = await EngineHarness.RunAsync(new Leaky(), EngineHarness.DefaultOf<Leaky>(), ["Logs"], Env(("PIN", "hunter2-secret-pin")));
        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("environment variable PIN: '****' is not a whole number");
        run.Output.Should().NotContain("hunter2-secret-pin");
    }

    [Fact]
    public void The_masker_masks_longer_secrets_whole_and_ignores_values_too_short_to_mask()
    {
        var masker = new SecretMasker();
        masker.Register("abc");
        masker.Register("abcdef");
        masker.Register("ab");
        masker.Register(null);
        masker.Register("abc");
        masker.Count.Should().Be(2);
        masker.Mask("x abcdef y abc z ab").Should().Be("x **** y **** z ab");
        masker.Mask(null).Should().Be("");
    }

    [Fact]
    public void Each_line_of_a_multi_line_secret_is_masked_because_output_arrives_line_by_line()
    {
        var masker = new SecretMasker();
        masker.Register("-----BEGIN KEY-----\r\nMIIEvQIBADANBgkqhkiG9w0B\r\n}\r\n-----END KEY-----\r\n");
        masker.Mask("MIIEvQIBADANBgkqhkiG9w0B").Should().Be("****");
        masker.Mask("x -----END KEY----- y").Should().Be("x **** y");
        masker.Mask("}").Should().Be("}");
        masker.Mask("-----BEGIN KEY-----\r\nMIIEvQIBADANBgkqhkiG9w0B\r\n}\r\n-----END KEY-----\r\n").Should().Be("****");
    }

    [Fact]
    public async Task A_multi_line_secret_printed_by_a_process_is_masked_line_by_line()
    {
        var run = await EngineHarness.RunAsync(new MultiLine(), EngineHarness.DefaultOf<MultiLine>(), [], new Dictionary<string, string>());
        run.ExitCode.Should().Be(0);
        run.Output.Should().NotContain("MIIEvQIBADANBgkqhkiG9w0B").And.NotContain("c2Vjb25kIGxpbmUgb2Yg");
        run.Output.Should().Contain("INF [Default] ****");
    }

    private sealed class MultiLine : PipelineBuild
    {
        Target Default => _ => _.Executes(async ct =>
        {
            const string key = "MIIEvQIBADANBgkqhkiG9w0B\nc2Vjb25kIGxpbmUgb2Yg";
            Secrets.Register(key);
            await DummyExe.Wrap("echo", "MIIEvQIBADANBgkqhkiG9w0B", "c2Vjb25kIGxpbmUgb2Yg").WithLog().RunAsync(ct);
        });
    }

    [Fact]
    public async Task Builds_running_at_the_same_time_keep_their_secrets_and_logs_apart()
    {
        var a = EngineHarness.RunAsync(
            new Leaky(),
            EngineHarness.DefaultOf<Leaky>(),
            ["Logs"],
            new Dictionary<string, string> { ["API_TOKEN"] = "first-token-aaa" }
        );
        var b = EngineHarness.RunAsync(
            new Leaky(),
            EngineHarness.DefaultOf<Leaky>(),
            ["Logs"],
            new Dictionary<string, string> { ["API_TOKEN"] = "second-token-bbb" }
        );
        var runs = await Task.WhenAll(a, b);
        runs[0].Output.Should().Contain("the token is ****").And.NotContain("second-token");
        runs[1].Output.Should().Contain("the token is ****").And.NotContain("first-token");
    }
}
