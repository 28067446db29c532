using Docker.DotNet.Models;
using System.Text.RegularExpressions;

namespace Pipeline.Tools.Docker;

/// <summary>What the classic builder reported, parsed from its JSON stream (see <see cref="BuildEvent.From"/>).</summary>
public abstract partial record BuildEvent
{
    /// <summary><c>Step 3/7 : RUN …</c></summary>
    public sealed record Step(int Number, int Total, string Instruction) : BuildEvent;
    /// <summary>A line the step's commands printed (or the builder's own chatter).</summary>
    public sealed record Output(string Line) : BuildEvent;
    /// <summary>The step was taken from the layer cache.</summary>
    public sealed record CacheHit : BuildEvent;
    /// <summary>The step runs in this intermediate container (kept on failure when asked).</summary>
    public sealed record Container(string Id) : BuildEvent;
    /// <summary>A step's resulting layer image (<c> ---&gt; 1a2b3c</c>).</summary>
    public sealed record Layer(string Id) : BuildEvent;
    /// <summary>The image that was built.</summary>
    public sealed record Built(string ImageId) : BuildEvent;
    public sealed record Failed(string Message) : BuildEvent;

    /// <summary>The events one message carries; a <c>stream</c> chunk may hold several lines.</summary>
    public static IEnumerable<BuildEvent> From(JSONMessage message)
    {
        if (message.Error?.Message is { Length: > 0 } error)
        {
            yield return new Failed(error.Trim());
            yield break;
        }
        if (DockerClient.AuxString(message, "ID") is { } imageId)
            yield return new Built(imageId);
        foreach (var raw in (message.Stream ?? "").Split('\n'))
        {
            var line = Ansi().Replace(raw, "").TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            if (StepLine().Match(line) is { Success: true } step)
                yield return new Step(int.Parse(step.Groups[1].Value), int.Parse(step.Groups[2].Value), step.Groups[3].Value);
            else if (line.Trim() == "---> Using cache")
                yield return new CacheHit();
            else if (RunningIn().Match(line) is { Success: true } running)
                yield return new Container(running.Groups[1].Value);
            else if (LayerLine().Match(line) is { Success: true } layer)
                yield return new Layer(layer.Groups[1].Value);
            else if (
                !line.StartsWith("Removing intermediate container", StringComparison.Ordinal)
                && !line.StartsWith("Successfully ", StringComparison.Ordinal)
            )
                yield return new Output(line);
        }
        if (message.Stream is null && message.Status is { Length: > 0 } status)
            yield return new Output(message.ID is { Length: > 0 } sid ? $"{sid}: {status}" : status);
    }

    /// <summary>The classic builder colours standard error (<c>ESC[91m … ESC[0m</c>); logs get plain text.</summary>
    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Ansi();
    [GeneratedRegex(@"^Step (\d+)/(\d+) : (.*)$")]
    private static partial Regex StepLine();
    [GeneratedRegex(@"^\s*---> Running in ([0-9a-f]{12,64})\s*$")]
    private static partial Regex RunningIn();
    [GeneratedRegex(@"^\s*---> ([0-9a-f]{12,64})\s*$")]
    private static partial Regex LayerLine();
}
