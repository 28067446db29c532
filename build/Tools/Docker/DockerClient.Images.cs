using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Engine;

namespace Pipeline.Tools.Docker;

/// <summary>A failed <c>POST /build</c>: the step that failed, its last output lines, and its kept container if any.</summary>
public sealed class DockerBuildException(string message, BuildEvent.Step? step, IReadOnlyList<string> lastLines, string? containerId)
    : PipelineException(message)
{
    public BuildEvent.Step? Step { get; } = step;
    public IReadOnlyList<string> LastLines { get; } = lastLines;
    /// <summary>The failing step's intermediate container, when it was kept.</summary>
    public string? ContainerId { get; } = containerId;
}

public sealed partial class DockerClient
{
    /// <summary>The image, or null when the engine has none by that reference.</summary>
    public async Task<ImageInspect?> InspectImageAsync(string reference, CancellationToken ct)
    {
        try { return await SendForJsonAsync<ImageInspect>(ImageRequests.Inspect(reference), ct); }
        catch (DockerApiException e) when (e.IsNotFound) { return null; }
    }

    public async Task<IReadOnlyList<ImageSummary>> ListImagesAsync(IReadOnlyList<string>? labels, IReadOnlyList<string>? references, CancellationToken ct) =>
        await SendForJsonAsync<List<ImageSummary>>(ImageRequests.List(labels, references), ct);

    public Task TagImageAsync(string source, string repository, string tag, CancellationToken ct) =>
        SendForTextAsync(ImageRequests.Tag(source, repository, tag), ct);

    /// <summary>Removes an image (or one of its tags); false when there was none.</summary>
    public async Task<bool> RemoveImageAsync(string reference, bool force, CancellationToken ct)
    {
        try { await SendForTextAsync(ImageRequests.Remove(reference, force), ct); return true; }
        catch (DockerApiException e) when (e.IsNotFound) { return false; }
    }

    /// <summary>Imports a root file system tarball as <c>repository:tag</c>; returns the image id.</summary>
    public async Task<string> ImportImageAsync(Stream tarball, string repository, string tag, IReadOnlyList<string>? changes, CancellationToken ct)
    {
        string? id = null;
        await foreach (var message in StreamMessagesAsync(ImageRequests.Import(tarball, repository, tag, changes), ct))
        {
            if (message.ErrorMessage is { } error) throw new PipelineException($"Docker engine: import {repository}:{tag}: {error}");
            if (message.Status is { } status && status.StartsWith("sha256:", StringComparison.Ordinal)) id = status.Trim();
        }
        return id ?? (await InspectImageAsync($"{repository}:{tag}", ct))?.Id
            ?? throw new PipelineException($"Docker engine: import {repository}:{tag} reported no image.");
    }

    /// <summary>
    /// Builds an image from a tar context with the classic builder, reporting each parsed event as it arrives.
    /// Returns the image id; a failure throws <see cref="DockerBuildException"/> naming the failed step.
    /// </summary>
    public async Task<string> BuildImageAsync(Stream context, BuildOptions options, Action<BuildEvent>? onEvent, CancellationToken ct)
    {
        string? imageId = null, container = null;
        BuildEvent.Step? step = null;
        var lastLines = new Queue<string>();
        await foreach (var message in StreamMessagesAsync(ImageRequests.Build(context, options), ct))
            foreach (var e in BuildEvent.From(message))
            {
                onEvent?.Invoke(e);
                switch (e)
                {
                    case BuildEvent.Step s: step = s; lastLines.Clear(); container = null; break;
                    case BuildEvent.Container c: container = c.Id; break;
                    case BuildEvent.Output o:
                        lastLines.Enqueue(o.Line);
                        if (lastLines.Count > 20) lastLines.Dequeue();
                        break;
                    case BuildEvent.Built b: imageId = b.ImageId; break;
                    case BuildEvent.Failed f:
                        throw new DockerBuildException(
                            step is null ? $"docker build failed: {f.Message}" : $"docker build failed at step {step.Number}/{step.Total} ({step.Instruction}): {f.Message}",
                            step, [.. lastLines], options.KeepFailedContainer ? container : null);
                }
            }
        if (imageId is null && options.Tags.Count > 0) imageId = (await InspectImageAsync(options.Tags[0], ct))?.Id;
        return imageId ?? throw new PipelineException("docker build ended without reporting an image.");
    }

    /// <summary>Pushes <c>repository:tag</c>; returns the manifest digest the registry stored (<c>sha256:…</c>).</summary>
    public async Task<string> PushImageAsync(string repository, string tag, RegistryAuth? auth, Action<JsonMessage>? onMessage, CancellationToken ct)
    {
        string? digest = null;
        await foreach (var message in StreamMessagesAsync(ImageRequests.Push(repository, tag, auth), ct))
        {
            onMessage?.Invoke(message);
            if (message.ErrorMessage is { } error) throw new PipelineException($"Docker engine: push {repository}:{tag}: {error}");
            digest = PushedDigest(message) ?? digest;
        }
        return digest ?? throw new PipelineException($"Docker engine: push {repository}:{tag} reported no digest.");
    }

    /// <summary>The digest a push message reports: <c>aux.Digest</c>, or the <c>… digest: sha256:… size: …</c> status.</summary>
    public static string? PushedDigest(JsonMessage message)
    {
        if (message.Aux is { ValueKind: JsonValueKind.Object } aux && aux.TryGetProperty("Digest", out var d) && d.GetString() is { Length: > 0 } digest)
            return digest;
        return message.Status is { } status && DigestStatus().Match(status) is { Success: true } m ? m.Groups[1].Value : null;
    }

    /// <summary>Writes a <c>docker save</c> tarball of the images to <paramref name="destination"/>.</summary>
    public async Task SaveImagesAsync(IReadOnlyList<string> references, Stream destination, CancellationToken ct)
    {
        using var response = await SendAsync(ImageRequests.Save(references), ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        await stream.CopyToAsync(destination, ct);
    }

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex DigestStatus();
}
