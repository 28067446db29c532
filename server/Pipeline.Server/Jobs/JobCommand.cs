namespace Pipeline.Server.Jobs;

/// <summary>The argv of a job's <c>./build.sh</c>: targets, <c>--environment</c>, then each parameter as one
/// <c>--name=value</c> word, so that no value is ever read as another flag.</summary>
public static class JobCommand
{
    public static IReadOnlyList<string> Arguments(Job job) =>
        [
            .. job.Targets,
            "--environment", job.Environment,
            .. job.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"--{p.Key}={p.Value}"),
        ];

    /// <summary>Set in the child's environment, so that a server started again finds its orphan by /proc/&lt;pid&gt;/environ.</summary>
    public const string JobIdVariable = "PIPELINE_JOB_ID";
}
