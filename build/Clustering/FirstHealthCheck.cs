using Pipeline.Tools.Docker;

namespace Pipeline.Clustering;

/// <summary>
/// Docker runs a container's first health check one whole interval after the container starts (the engine Debian
/// ships, 20.10, has no <c>start_interval</c>). While a container is still <c>starting</c>, the runner runs that same
/// configured test once itself, through exec: a pass counts as healthy at once; a failure only means "not yet", and
/// Docker's own verdicts still decide what is unhealthy.
/// </summary>
public static class FirstHealthCheck
{
    /// <summary>The argv of a health check's test: <c>CMD</c> as is, <c>CMD-SHELL</c> through /bin/sh; null for none.</summary>
    public static IReadOnlyList<string>? Command(HealthConfig? config)
    {
        var test = config?.Test;
        if (test is null || test.Count < 2) return null;
        return test[0] switch
        {
            "CMD" => test.Skip(1).ToList(),
            "CMD-SHELL" => ["/bin/sh", "-c", test[1]],
            _ => null,
        };
    }

    /// <summary>Runs the container's health check test once; false when it fails, times out or cannot run.</summary>
    public static async Task<bool> PassesAsync(DockerClient docker, ContainerInspect container, CancellationToken ct)
    {
        if (Command(container.Config?.Healthcheck) is not { } command) return false;
        var ns = container.Config?.Healthcheck?.Timeout ?? 0;
        var timeout = ns > 0 ? TimeSpan.FromTicks(ns / 100) : TimeSpan.FromSeconds(30);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        try
        {
            return (await docker.ExecAsync(container.Id, command, bounded.Token)).ExitCode == 0;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return false; }
        catch (DockerApiException) { return false; } // the container stopped or restarted meanwhile
    }
}
