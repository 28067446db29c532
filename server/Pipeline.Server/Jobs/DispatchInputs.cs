namespace Pipeline.Server.Jobs;

/// <summary>
/// The <c>workflow_dispatch</c> inputs of a job, as the generated workflow declares them (build/CI/DispatchSelection.cs):
/// <c>environment</c>; <c>targets</c>, space-separated; <c>parameters</c>, the <c>--name=value</c> words the local executor
/// passes (JobCommand), space-separated. The workflow splits that input into words without a shell's other expansions
/// reaching it, so a value may not hold a space or a glob character: such a job is refused before anything is dispatched.
/// </summary>
public static class DispatchInputs
{
    public static Dictionary<string, object> Of(Job job)
    {
        var inputs = new Dictionary<string, object>
        {
            ["environment"] = job.Environment,
            ["targets"] = string.Join(' ', job.Targets),
        };
        if (Words(job) is { Count: > 0 } words) inputs["parameters"] = string.Join(' ', words);
        return inputs;
    }

    /// <summary>Why the job's parameters cannot travel as one workflow input, or null.</summary>
    public static string? Problem(Job job) =>
        job.Parameters.FirstOrDefault(p => p.Value.Length == 0 || p.Value.Any(c => char.IsWhiteSpace(c) || c is '*' or '?' or '['))
            is { Key: { } name }
            ? $"parameters/{name}: the github-actions executor passes parameters as --name=value words of one workflow input, "
                + "so a value must be non-empty without spaces or *?[ characters; run this job with the local executor."
            : null;

    private static List<string> Words(Job job) =>
        job.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"--{p.Key}={p.Value}").ToList();
}
