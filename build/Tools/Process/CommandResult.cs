namespace Pipeline.Tools.Process;

/// <summary>What a finished process left behind.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="StartTime">When the process was started.</param>
/// <param name="ExitTime">When the process was seen to exit.</param>
/// <param name="Duration">How long it ran, measured with a monotonic clock.</param>
public record CommandResult(int ExitCode, DateTimeOffset StartTime, DateTimeOffset ExitTime, TimeSpan Duration)
{
    public bool IsSuccess => ExitCode == 0;
}

/// <summary>A <see cref="CommandResult"/> that also holds everything the process wrote, exactly as written.</summary>
public sealed record BufferedCommandResult(
    int ExitCode,
    DateTimeOffset StartTime,
    DateTimeOffset ExitTime,
    TimeSpan Duration,
    string StandardOutput,
    string StandardError)
    : CommandResult(ExitCode, StartTime, ExitTime, Duration);
