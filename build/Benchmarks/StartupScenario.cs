using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Process;

namespace Pipeline.Benchmarks;

/// <summary>
/// Warm <c>./build.sh --help</c> beside the NUKE way of starting a build (<c>dotnet build</c> of the build project,
/// then <c>dotnet run --no-build -- --help</c>), both warm, both in this run; and, as the whole-command goal, beside the
/// floor: a bare console app's <c>dotnet hello.dll --help</c>, built in this run.
/// </summary>
public sealed class StartupScenario : IBenchmarkScenario
{
    public const double Goal = 0.15, WholeGoal = 2.0;
    public string Name => "startup";

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var root = context.Root;
        var runs = Math.Max(5, context.Runs);
        var project = root / "build" / "_build.csproj";
        var buildSh = Cli.Wrap(root / "build.sh").WithArguments(["--help"]).WithWorkingDirectory(root);
        var nukeBuild = Cli.Wrap("dotnet").WithArguments(["build", project, "--nologo", "-v", "quiet"]).WithWorkingDirectory(root);
        var nukeRun = Cli.Wrap("dotnet")
            .WithArguments(["run", "--project", project, "--no-build", "--", "--help"])
            .WithWorkingDirectory(root);

        // Warm both ways once (compiles what is stale) before measuring.
        await Measurement.RunQuietAsync(buildSh, ct);
        await Measurement.RunQuietAsync(nukeBuild, ct);
        await Measurement.RunQuietAsync(nukeRun, ct);

        Log.Information($"Measuring warm ./build.sh --help, {runs} runs…");
        var ours = await Measurement.TakeAsync(
            "`./build.sh --help` (warm, stamp unchanged)",
            runs,
            c => Measurement.RunQuietAsync(buildSh, c),
            ct
        );
        Log.Information($"Measuring dotnet build + dotnet run --no-build -- --help, {runs} runs…");
        var peer = await Measurement.TakeAsync("`dotnet build` + `dotnet run --no-build -- --help` (NUKE-style, warm)", runs, async c =>
        {
            await Measurement.RunQuietAsync(nukeBuild, c);
            await Measurement.RunQuietAsync(nukeRun, c);
        }, ct);
        Log.Information($"startup: {BenchmarkReport.Ratio(ours, peer):0.000} × the NUKE-style start (goal ≤ {Goal})");
        var hello = await BuildHelloAsync(context.Build.TemporaryDirectory / "bench-startup-hello", ct);
        var floor = Cli.Wrap("dotnet").WithArguments([hello, "--help"]).WithWorkingDirectory(root);
        var whole = await WholeCommand.MeasureAsync(
            ("`./build.sh --help`", c => Measurement.RunQuietAsync(buildSh, c)),
            ("`dotnet hello.dll --help` (a bare console app, the floor)", c => Measurement.RunQuietAsync(floor, c)),
            runs,
            WholeGoal,
            ct
        );
        var beforeControlPlane = await StartupBeforeControlPlane.MeasureAsync(context, runs, ct);
        return BenchmarkReport.Render(
            "Start-up: warm ./build.sh --help",
            "The bootstrapper recompiles only when a stamp over the hashes of `build/**` changes, then starts the compiled assembly "
            + "directly.",
            ours,
            peer,
            Goal,
            whole
        ) + Environment.NewLine + beforeControlPlane;
    }

    /// <summary>A console app that prints one line, built Release in <paramref name="directory"/> (its own empty
    /// Directory.Build.props, so the repository's settings do not apply): the cheapest .NET process to compare with.</summary>
    private static async Task<AbsolutePath> BuildHelloAsync(AbsolutePath directory, CancellationToken ct)
    {
        directory.CreateDirectory();
        await File.WriteAllTextAsync(directory / "Directory.Build.props", "<Project />\n", ct);
        await File.WriteAllTextAsync(
            directory / "hello.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>"
            + "<Nullable>enable</Nullable></PropertyGroup></Project>\n",
            ct
        );
        const string program = "System.Console.WriteLine(args.Length > 0 ? \"usage: hello\" : \"hello\");\n";
        await File.WriteAllTextAsync(directory / "Program.cs", program, ct);
        await Measurement.RunQuietAsync(
            Cli.Wrap("dotnet").WithArguments(["build", directory / "hello.csproj", "-c", "Release", "-o", directory / "out", "--nologo"]),
            ct
        );
        return directory / "out" / "hello.dll";
    }
}
