using CliWrap;
using CliWrap.Buffered;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.IntegrationTests.CommandLine;

/// <summary>
/// Runs the repository's own <c>./build.sh</c> as a process. The first run may compile build/ into
/// build/bin/Release (when its stamp changed); the fixture does that once, and the collection never runs in
/// parallel with other tests, so two compiles never race.
/// </summary>
public sealed class BuildScript : IAsyncLifetime
{
    /// <summary>Variables the test host sets for MSBuild, which must not leak into build.sh's own compile.</summary>
    private static readonly string[] HostVariables =
    [
        "MSBuildExtensionsPath",
        "MSBUILD_EXE_PATH",
        "MSBuildSDKsPath",
        "MSBuildLoadMicrosoftTargetsReadOnly",
        "GITHUB_ACTIONS",
        "CI",
    ];

    public string Root { get; } = FindRoot();

    public async Task InitializeAsync()
    {
        var warm = await RunAsync("--help");
        if (warm.ExitCode != 0)
            throw new InvalidOperationException(
                $"./build.sh --help failed while warming up ({warm.ExitCode}):\n{warm.StandardOutput}\n{warm.StandardError}"
            );
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public Task<BufferedCommandResult> RunAsync(params string[] arguments) => RunAsync(arguments, new Dictionary<string, string>());

    public Task<BufferedCommandResult> RunAsync(string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var command = Cli.Wrap(Path.Combine(Root, "build.sh")).WithArguments(arguments).WithWorkingDirectory(Root)
            .WithValidation(CommandResultValidation.None);
        foreach (var name in HostVariables) command = command.WithEnvironment(name, null);
        foreach (var (name, value) in environment) command = command.WithEnvironment(name, value);
        return command.RunBufferedAsync(TimeSpan.FromMinutes(10));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")) && File.Exists(Path.Combine(dir.FullName, "build.sh")))
                return dir.FullName;
        throw new InvalidOperationException($"No repository (Pipeline.sln + build.sh) above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BuildScriptCollection : ICollectionFixture<BuildScript>
{
    public const string Name = "build.sh";
}
