namespace Pipeline.Tools.Docker;

/// <summary>The exit code and output of a command run in a container.</summary>
public sealed record ExecResult(int ExitCode, string StandardOutput, string StandardError);

public sealed partial class DockerClient
{
    /// <summary>Creates a container; returns its id.</summary>
    public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken ct) =>
        (await SendForJsonAsync<IdResponse>(ContainerRequests.Create(spec), ct)).Id;

    public Task StartContainerAsync(string id, CancellationToken ct) => SendForTextAsync(ContainerRequests.Start(id), ct);

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
        try { await SendForTextAsync(ContainerRequests.Stop(id, timeout) with { Streaming = true }, ct); }
        catch (DockerApiException e) when (e.IsNotFound) { }
    }

    public Task KillContainerAsync(string id, string signal, CancellationToken ct) => SendForTextAsync(ContainerRequests.Kill(id, signal), ct);

    /// <summary>Removes a container (forced, with its anonymous volumes); false when there was none.</summary>
    public async Task<bool> RemoveContainerAsync(string id, CancellationToken ct)
    {
        try { await SendForTextAsync(ContainerRequests.Remove(id), ct); return true; }
        catch (DockerApiException e) when (e.IsNotFound) { return false; }
        catch (DockerApiException e) when (e.IsConflict && e.EngineMessage.Contains("already in progress", StringComparison.Ordinal)) { return true; }
    }

    /// <summary>The container, or null when there is none by that id or name.</summary>
    public async Task<ContainerInspect?> InspectContainerAsync(string id, CancellationToken ct)
    {
        try { return await SendForJsonAsync<ContainerInspect>(ContainerRequests.Inspect(id), ct); }
        catch (DockerApiException e) when (e.IsNotFound) { return null; }
    }

    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyList<string>? labels, CancellationToken ct) =>
        await SendForJsonAsync<List<ContainerSummary>>(ContainerRequests.List(labels), ct);

    /// <summary>Waits until the container stops; returns its exit code.</summary>
    public async Task<int> WaitContainerAsync(string id, CancellationToken ct) =>
        DockerJson.Deserialize<WaitResponse>(await SendForTextAsync(ContainerRequests.Wait(id), ct)).StatusCode;

    /// <summary>The container's output so far (or the last <paramref name="tail"/> lines), split into its streams.</summary>
    public async Task<ContainerOutput> ContainerLogsAsync(string id, int? tail, CancellationToken ct)
    {
        using var response = await SendAsync(ContainerRequests.Logs(id, follow: false, tail), ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        return await LogDemultiplexer.ReadAllAsync(stream, ct);
    }

    /// <summary>Runs a command in a running container (<c>docker exec</c>) and waits for it.</summary>
    public async Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, CancellationToken ct, string? user = null, IReadOnlyDictionary<string, string>? env = null)
    {
        var execId = (await SendForJsonAsync<IdResponse>(ContainerRequests.ExecCreate(id, command, user, env), ct)).Id;
        ContainerOutput output;
        using (var response = await SendAsync(ContainerRequests.ExecStart(execId), ct))
        await using (var stream = await response.Content.ReadAsStreamAsync(ct))
            output = await LogDemultiplexer.ReadAllAsync(stream, ct);
        var inspect = await SendForJsonAsync<ExecInspect>(ContainerRequests.ExecInspect(execId), ct);
        for (var i = 0; inspect.Running && i < 50; i++)
        {
            await Task.Delay(20, ct);
            inspect = await SendForJsonAsync<ExecInspect>(ContainerRequests.ExecInspect(execId), ct);
        }
        return new ExecResult(inspect.ExitCode ?? -1, output.StandardOutput, output.StandardError);
    }

    /// <summary>Commits a container's file system as <c>repository:tag</c>; returns the image id.</summary>
    public async Task<string> CommitContainerAsync(string id, string repository, string tag, CancellationToken ct) =>
        (await SendForJsonAsync<IdResponse>(ContainerRequests.Commit(id, repository, tag), ct)).Id;
}
