using CliWrap;
using Pipeline.Tools.Process;
using System.Runtime.CompilerServices;

namespace Pipeline.Tests;

/// <summary>
/// Finds the built tests/Dummy program (dummy.dll) and wraps it in a <see cref="Command"/> run by the dotnet host.
/// Pipeline.Tests has a ProjectReference to Dummy, so building the tests builds it, in the same configuration.
/// Set PIPELINE_DUMMY_DLL to point at another dummy.dll.
/// </summary>
public static class DummyExe
{
    private static readonly Lazy<string> Dll = new(FindDll);
    private static readonly Lazy<string> Host = new(FindDotnetHost);

    /// <summary>Full path of dummy.dll.</summary>
    public static string DllPath => Dll.Value;

    /// <summary>Full path of the dotnet host that runs it.</summary>
    public static string DotnetHost => Host.Value;

    /// <summary>A command running <c>dotnet dummy.dll &lt;arguments&gt;</c>, e.g. <c>DummyExe.Wrap("echo", "hi")</c>.</summary>
    public static Command Wrap(params string[] arguments) =>
        Cli.Wrap(DotnetHost).WithArguments([DllPath, .. arguments]);

    private static string FindDll()
    {
        if (Environment.GetEnvironmentVariable("PIPELINE_DUMMY_DLL") is { Length: > 0 } overridden)
            return File.Exists(overridden)
                ? Path.GetFullPath(overridden)
                : throw new FileNotFoundException("PIPELINE_DUMMY_DLL does not exist", overridden);

        var root = FindRepositoryRoot(AppContext.BaseDirectory)
            ?? FindRepositoryRoot(ThisSourceDirectory())
            ?? throw new InvalidOperationException(
                $"No repository root (a folder with Pipeline.sln or .nuke) above {AppContext.BaseDirectory}."
            );
        var bin = Path.Combine(root, "tests", "Dummy", "bin");
        var sameConfiguration = Path.Combine(bin, CurrentConfiguration(), "net10.0", "dummy.dll");
        if (File.Exists(sameConfiguration))
            return sameConfiguration;

        var anyConfiguration = Directory.Exists(bin)
            ? Directory
                .EnumerateFiles(bin, "dummy.dll", SearchOption.AllDirectories)
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault()
            : null;
        return anyConfiguration ?? throw new FileNotFoundException(
            $"dummy.dll is not built; run 'dotnet build tests/Dummy' in {root}.", sameConfiguration);
    }

    /// <summary>Debug or Release: the test assembly lives in bin/&lt;Configuration&gt;/&lt;tfm&gt;/.</summary>
    private static string CurrentConfiguration() =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";

    private static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (
                File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")) || Directory.Exists(Path.Combine(directory.FullName, ".nuke"))
            )
                return directory.FullName;
        }

        return null;
    }

    private static string ThisSourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? "/";

    /// <summary>
    /// The dotnet host running these tests: DOTNET_HOST_PATH, else this process if it is dotnet, else the root
    /// above the shared runtime (…/shared/Microsoft.NETCore.App/&lt;version&gt;/), else "dotnet" from PATH.
    /// </summary>
    private static string FindDotnetHost()
    {
        var executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
            return hostPath;
        if (Environment.ProcessPath is { } processPath && Path.GetFileName(processPath) == executable)
            return processPath;

        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var root = runtimeDirectory is null ? null : Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var candidate = root is null ? null : Path.Combine(root, executable);
        return candidate is not null && File.Exists(candidate) ? candidate : "dotnet";
    }
}
