namespace Pipeline.Server.Jobs;

/// <summary>One queued, running or finished run of <c>./build.sh</c>.</summary>
public sealed record Job(
    string Id,
    DateTimeOffset Created,
    string RequestedBy,
    string Environment,
    IReadOnlyList<string> Targets,
    IReadOnlyDictionary<string, string> Parameters,
    JobStatus Status,
    DateTimeOffset? Started = null,
    DateTimeOffset? Finished = null,
    int? ExitCode = null,
    int? Pid = null,
    bool CancelRequested = false
)
{
    public bool IsFinished => Status is not (JobStatus.Queued or JobStatus.Running);
}

public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    /// <summary>The server stopped while the job ran: its end is unknown.</summary>
    Interrupted,
}
