using Pipeline.Engine;

namespace Pipeline.Serving;

/// <summary>
/// The control plane's project and the argv lists that build and start it. The server is its own ASP.NET Core project
/// (<c>server/Pipeline.Server</c>), started as a child process: the build project never references ASP.NET Core, so a plain
/// <c>./build.sh &lt;target&gt;</c> loads none of it.
/// </summary>
public sealed record ServerLaunch(AbsolutePath Project, AbsolutePath Root, string Configuration)
{
    public AbsolutePath Assembly => Project / "bin" / Configuration / "net10.0" / "Pipeline.Server.dll";

    public IReadOnlyList<string> CompileArguments() =>
        ["build", Project / "Pipeline.Server.csproj", "-c", Configuration, "--nologo", "-v", "quiet", "-clp:NoSummary"];

    /// <summary><c>dotnet Pipeline.Server.dll --root … --listen …</c>; the names (never the values) of the variables that hold
    /// [Secret] parameters go along, so that the server masks their values in every job log.</summary>
    public IReadOnlyList<string> ServeArguments(string listen, IEnumerable<string> secretVariables) =>
        [Assembly, "--root", Root, "--listen", listen, "--secret-variables", string.Join(',', secretVariables)];

    public IReadOnlyList<string> MintTokenArguments(string name, string scopes, string? slackUser) =>
        [
            Assembly, "mint-token", "--root", Root, "--name", name, "--scopes", scopes,
            .. slackUser is null ? [] : new[] { "--slack-user", slackUser },
        ];
}
