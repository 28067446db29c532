using CliWrap;
using Pipeline.Engine;
using Pipeline.Engine.Parameters;
using Pipeline.Serving;
using Pipeline.Tools.Process;

namespace Pipeline;

/// <summary>The control plane: a job API, a status dashboard and ChatOps hooks around this build, in its own ASP.NET Core
/// project that the build starts as a child process.</summary>
partial class Build
{
    [Parameter("Where Serve listens, host:port: loopback by default; any other address exposes the control plane (put TLS in front).")]
    readonly string Listen = "127.0.0.1:8780";

    [Parameter("ServeToken: the new API token's name (a token of the same name is replaced).")]
    readonly string? TokenName;

    [Parameter("ServeToken: the token's scopes, e.g. env:staging,target:Deploy,target:Plan or env:*,read-only.")]
    readonly string? TokenScopes;

    [Parameter("ServeToken: the Slack user id (U…) whose /pipeline commands act with this token.")]
    readonly string? TokenSlackUser;

    ServerLaunch ServerLaunch => new(RootDirectory / "server" / "Pipeline.Server", RootDirectory, "Release");

    Target Serve => _ => _
        .Description("Start the control plane (job API, status dashboard, Slack and GitHub hooks) on --listen, loopback by default, "
            + "until Ctrl-C.")
        .Executes(async ct =>
        {
            await DotNet(ServerLaunch.CompileArguments(), ct);
            var secrets = ParameterInfo.Discover(typeof(Build)).Where(p => p.IsSecret).Select(p => p.EnvironmentVariable);
            Log.Information($"The control plane listens on http://{Listen} (state in .nuke/temp/serve).");
            await Cli.Wrap("dotnet").WithArguments(ServerLaunch.ServeArguments(Listen, secrets)).WithWorkingDirectory(RootDirectory)
                .WithLog().RunAsync(ct);
        });

    Target ServeToken => _ => _
        .Description("Mint an API token for the control plane with --token-name and --token-scopes, stored hashed and printed once.")
        .Requires(() => TokenName, () => TokenScopes)
        .Executes(async ct =>
        {
            await DotNet(ServerLaunch.CompileArguments(), ct);
            // The token goes straight to the terminal (standard output), never through the build's log or build.log.
            await Cli.Wrap("dotnet").WithArguments(ServerLaunch.MintTokenArguments(TokenName!, TokenScopes!, TokenSlackUser))
                .WithWorkingDirectory(RootDirectory)
                .WithStandardOutputPipe(PipeTarget.ToStream(Console.OpenStandardOutput()))
                .WithStandardErrorPipe(PipeTarget.ToStream(Console.OpenStandardError()))
                .RunAsync(ct);
        });
}
