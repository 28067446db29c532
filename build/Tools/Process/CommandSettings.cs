using CliWrap;

namespace Pipeline.Tools.Process;

/// <summary>
/// Settings CliWrap's builder has no one-call form for: one environment variable added to those already set
/// (CliWrap's <c>WithEnvironmentVariables</c> replaces them all), and standard input as UTF-8 text or a file that
/// a null leaves unchanged, so optional input chains without a branch.
/// </summary>
public static class CommandSettings
{
    /// <summary>Sets (or, with a null value, removes from the inherited environment) one variable, keeping the others set.</summary>
    public static Command WithEnvironment(this Command command, string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return command.WithEnvironmentVariables(variables => variables.Set(command.EnvironmentVariables).Set(name, value));
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to standard input, then closes it. Null: standard input stays as set (by default
    /// closed at once).</summary>
    public static Command WithStandardInput(this Command command, string? text) =>
        text is null ? command : command.WithStandardInputPipe(PipeSource.FromString(text, ProcessText.Utf8));

    /// <summary>Streams a file, as bytes, to standard input (e.g. an image tar). Null: standard input stays as set.</summary>
    public static Command WithStandardInputFile(this Command command, string? path) =>
        path is null ? command : command.WithStandardInputPipe(PipeSource.FromFile(path));
}
