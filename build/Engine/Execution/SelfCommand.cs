using CliWrap;
using System.Runtime.CompilerServices;

namespace Pipeline.Engine;

/// <summary>
/// This build as a command another process can run: the native executable itself where build.sh compiled one, else
/// <c>dotnet _build.dll</c> (ReadyToRun, tests). The benchmarks run the user's command this way, beside the peer's.
/// </summary>
public static class SelfCommand
{
    /// <summary>True in the native build, which generates no code at run time.</summary>
    public static bool IsNative => !RuntimeFeature.IsDynamicCodeSupported;

    private static string Assembly => Path.Combine(AppContext.BaseDirectory, "_build.dll");

    public static Command Wrap(IEnumerable<string> arguments) =>
        IsNative
            ? Cli.Wrap(Environment.ProcessPath!).WithArguments(arguments)
            : Cli.Wrap("dotnet").WithArguments([Assembly, .. arguments]);
}
