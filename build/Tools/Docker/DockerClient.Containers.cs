using Docker.DotNet.Models;

namespace Pipeline.Tools.Docker;

/// <summary>The exit code and output of a command run in a container.</summary>
public sealed record ExecResult(int ExitCode, string StandardOutput, string StandardError);

public sealed partial class DockerClient
{
    /// <summary>Creates a container; returns its id.</summary>
    public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken ct) =>
        (
            await CallAsync(
                $"create container {spec.Name ?? spec.Image}",
                e => e.Containers.CreateContainerAsync(EngineParameters.Create(spec), ct),
                ct
            )
        ).ID;

    public Task StartContainerAsync(string id, CancellationToken ct) =>
        CallAsync($"start container {id}", e => e.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct), ct);

    /// <summary>Creates and starts a container; returns its id.</summary>
    public async Task<string> RunContainerAsync(ContainerSpec spec, CancellationToken ct)
    {
        var id = await CreateContainerAsync(spec, ct);
        await StartContainerAsync(id, ct);
        return id;
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="timeout"/>; a stopped or missing container is fine.</summary>
    public async Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken ct)
    {
        var parameters = new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(timeout.TotalSeconds) };
        try { await CallAsync($"stop container {id}", e => e.Containers.StopContainerAsync(id, parameters, ct), ct); }
        catch (DockerApiException e) when (e.IsNotFound) { }
    }

    public Task KillContainerAsync(string id, string signal, CancellationToken ct) =>
        CallAsync(
            $"kill container {id}",
            e => e.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = signal }, ct),
            ct
        );

    /// <summary>Removes a container (forced, with its anonymous volumes); false when there was none.</summary>
    public async Task<bool> RemoveContainerAsync(string id, CancellationToken ct)
    {
        var parameters = new ContainerRemoveParameters { Force = true, RemoveVolumes = true };
        try
        {
            await CallAsync($"remove container {id}", e => e.Containers.RemoveContainerAsync(id, parameters, ct), ct);
            return true;
        }
        catch (DockerApiException e) when (e.IsNotFound)
        {
            return false;
        }
        catch (DockerApiException e) when (e.IsConflict && e.EngineMessage.Contains("already in progress", StringComparison.Ordinal))
        {
            return true;
        }
    }

    /// <summary>The container, or null when there is none by that id or name.</summary>
    public async Task<ContainerInspect?> InspectContainerAsync(string id, CancellationToken ct)
    {
        try
        {
            return EngineModels.Container(await CallAsync($"inspect container {id}", e => e.Containers.InspectContainerAsync(id, ct), ct));
        }
        catch (DockerApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyList<string>? labels, CancellationToken ct)
    {
        var parameters = new ContainersListParameters { All = true, Filters = EngineParameters.Filters(labels) };
        return (await CallAsync("list containers", e => e.Containers.ListContainersAsync(parameters, ct), ct))
            .Select(EngineModels.Container)
            .ToList();
    }

    /// <summary>Waits until the container stops; returns its exit code.</summary>
    public async Task<int> WaitContainerAsync(string id, CancellationToken ct) =>
        (int)(await CallAsync($"wait for container {id}", e => e.Containers.WaitContainerAsync(id, ct), ct)).StatusCode;

    /// <summary>The container's output so far (or the last <paramref name="tail"/> lines), split into its streams.</summary>
    public Task<ContainerOutput> ContainerLogsAsync(string id, int? tail, CancellationToken ct) =>
        ContainerLogsAsync(id, tail, timestamps: false, ct);

    /// <summary>As <see cref="ContainerLogsAsync(string, int?, CancellationToken)"/>, each line led by the engine's RFC 3339 time when
    /// asked.</summary>
    public Task<ContainerOutput> ContainerLogsAsync(string id, int? tail, bool timestamps, CancellationToken ct)
    {
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Follow = false,
            Timestamps = timestamps,
            Tail = tail?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all",
        };
        return CallAsync($"logs of container {id}", async e =>
        {
            using var stream = await e.Containers.GetContainerLogsAsync(id, parameters, ct);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(ct);
            return new ContainerOutput(stdout, stderr);
        }, ct);
    }

    /// <summary>Runs a command in a running container (<c>docker exec</c>) and waits for it.</summary>
    public async Task<ExecResult> ExecAsync(
        string id,
        IReadOnlyList<string> command,
        CancellationToken ct,
        string? user = null,
        IReadOnlyDictionary<string, string>? env = null
    )
    {
        var create = new ContainerExecCreateParameters
        {
            Cmd = command.ToList(),
            AttachStdout = true,
            AttachStderr = true,
            Env = (env ?? new Dictionary<string, string>()).Select(e => $"{e.Key}={e.Value}").ToList(),
            User = user ?? "",
        };
        return await CallAsync($"exec in container {id}", async e =>
        {
            var execId = (await e.Exec.CreateContainerExecAsync(id, create, ct)).ID;
            string stdout, stderr;
            using (
                var stream = await e.Exec.StartContainerExecAsync(
                    execId,
                    new ContainerExecStartParameters { Detach = false, TTY = false },
                    ct
                )
            )
                (stdout, stderr) = await stream.ReadOutputToEndAsync(ct);
            var inspect = await e.Exec.InspectContainerExecAsync(execId, ct);
            for (var i = 0; inspect.Running && i < 50; i++)
            {
                await Task.Delay(20, ct);
                inspect = await e.Exec.InspectContainerExecAsync(execId, ct);
            }
            return new ExecResult((int)(inspect.ExitCode ?? -1), stdout, stderr);
        }, ct);
    }

    /// <summary>Commits a container's file system as <c>repository:tag</c>; returns the image id.</summary>
    public async Task<string> CommitContainerAsync(string id, string repository, string tag, CancellationToken ct)
    {
        var parameters = new CommitContainerChangesParameters { ContainerID = id, RepositoryName = repository, Tag = tag };
        return (await CallAsync($"commit container {id}", e => e.Images.CommitContainerChangesAsync(parameters, ct), ct)).ID;
    }
}
