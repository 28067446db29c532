namespace Pipeline.Engine;

/// <summary>
/// The root of every error Pipeline raises on purpose. Its message is one line a user can act on;
/// the engine prints it (masked) without a stack trace and exits 1.
/// </summary>
public class PipelineException : Exception
{
    public PipelineException(string message) : base(message) { }
    public PipelineException(string message, Exception? inner) : base(message, inner) { }

    /// <summary>The process exit code this error maps to.</summary>
    public virtual int ExitCode => ExitCodes.Failure;
}

/// <summary>Bad command line, bad graph, unmet requirement: exit code 2.</summary>
public class UsageException : PipelineException
{
    public UsageException(string message) : base(message) { }
    public override int ExitCode => ExitCodes.Usage;
}

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;
}
