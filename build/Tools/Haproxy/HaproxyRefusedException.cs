using Pipeline.Engine;

namespace Pipeline.Tools.Haproxy;

/// <summary>HAProxy answered a command with an error; <see cref="Answer"/> is what it said.</summary>
public sealed class HaproxyRefusedException(string message, string answer) : PipelineException(message)
{
    public string Answer { get; } = answer;
}
