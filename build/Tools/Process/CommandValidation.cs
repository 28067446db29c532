namespace Pipeline.Tools.Process;

/// <summary>How a finished command's exit code is judged.</summary>
public enum CommandValidation
{
    /// <summary>A non-zero exit code throws <see cref="CommandException"/>. The default.</summary>
    ZeroExitCode = 0,

    /// <summary>Any exit code is accepted; the caller inspects <see cref="CommandResult.ExitCode"/>.</summary>
    None = 1,
}
