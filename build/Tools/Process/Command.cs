using System.Collections.Immutable;

namespace Pipeline.Tools.Process;

/// <summary>
/// An immutable description of one process to run. Arguments are a list handed to the process as they are;
/// no shell is ever involved. Build it with <see cref="Cli.Wrap"/> and the <c>With…</c> methods, run it with
/// <see cref="CommandExecution.ExecuteAsync"/> or an <see cref="IProcessRunner"/>.
/// </summary>
public sealed record Command
{
    public Command(string targetFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetFile);
        TargetFile = targetFile;
    }

    /// <summary>The executable: a name looked up on PATH, or a path.</summary>
    public string TargetFile { get; init; }

    /// <summary>The arguments, each passed verbatim as one argv entry.</summary>
    public ImmutableArray<string> Arguments { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>The working directory; null means the current directory of this process.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Changes to the inherited environment: a value sets a variable, null removes it.</summary>
    public ImmutableDictionary<string, string?> Environment { get; init; } =
        ImmutableDictionary<string, string?>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Text written to the process's standard input, which is then closed. Null: stdin is closed at once.</summary>
    public string? StandardInput { get; init; }

    /// <summary>A file streamed, as bytes, to the process's standard input (instead of <see cref="StandardInput"/>), e.g. an image tar.</summary>
    public string? StandardInputFile { get; init; }

    /// <summary>How the exit code is judged.</summary>
    public CommandValidation Validation { get; init; } = CommandValidation.ZeroExitCode;

    /// <summary>After this long the whole process tree is killed and <see cref="CommandTimeoutException"/> thrown.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Called with each line of standard output, in order, as it arrives.</summary>
    public Action<string>? StandardOutputHandler { get; init; }

    /// <summary>Called with each line of standard error, in order, as it arrives.</summary>
    public Action<string>? StandardErrorHandler { get; init; }

    /// <summary>Replaces the arguments.</summary>
    public Command WithArguments(params string[] arguments) => WithArguments((IEnumerable<string>)arguments);

    /// <summary>Replaces the arguments.</summary>
    public Command WithArguments(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var list = arguments.ToImmutableArray();
        if (list.Any(a => a is null))
            throw new ArgumentException("An argument is null.", nameof(arguments));
        return this with { Arguments = list };
    }

    public Command WithWorkingDirectory(string? workingDirectory) => this with { WorkingDirectory = workingDirectory };

    /// <summary>Sets (or, with a null value, removes) one environment variable of the process.</summary>
    public Command WithEnvironment(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return this with { Environment = Environment.SetItem(name, value) };
    }

    public Command WithStandardInput(string? text) => this with { StandardInput = text };

    public Command WithStandardInputFile(string? path) => this with { StandardInputFile = path };

    public Command WithValidation(CommandValidation validation) => this with { Validation = validation };

    /// <summary>Sets the timeout; null means none.</summary>
    public Command WithTimeout(TimeSpan? timeout)
    {
        if (timeout is { } t && t <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A timeout must be positive.");
        return this with { Timeout = timeout };
    }

    /// <summary>Replaces the standard output line handler.</summary>
    public Command WithStandardOutputHandler(Action<string>? onLine) => this with { StandardOutputHandler = onLine };

    /// <summary>Replaces the standard error line handler.</summary>
    public Command WithStandardErrorHandler(Action<string>? onLine) => this with { StandardErrorHandler = onLine };

    /// <summary>The command line with POSIX shell quoting, for display only; never executed by a shell.</summary>
    public override string ToString() => ShellQuoting.Render(TargetFile, Arguments.IsDefault ? [] : Arguments);
}
