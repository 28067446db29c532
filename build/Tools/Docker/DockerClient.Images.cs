using Docker.DotNet.Models;
using Pipeline.Engine;
using System.Text.Json;
using System.Text.RegularExpressions;

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
        try
        {
            return EngineModels.Image(await CallAsync($"inspect image {reference}", e => e.Images.InspectImageAsync(reference, ct), ct));
        }
        catch (DockerApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Images filtered by labels (<c>key</c> or <c>key=value</c>) and references (<c>name</c>, <c>name:tag</c>, globs).</summary>
    public async Task<IReadOnlyList<ImageSummary>> ListImagesAsync(
        IReadOnlyList<string>? labels,
        IReadOnlyList<string>? references,
        CancellationToken ct
    )
    {
        var parameters = new ImagesListParameters { Filters = EngineParameters.Filters(labels, references) };
        return (await CallAsync("list images", e => e.Images.ListImagesAsync(parameters, ct), ct)).Select(EngineModels.Image).ToList();
    }

    public Task TagImageAsync(string source, string repository, string tag, CancellationToken ct) =>
        CallAsync($"tag {source} as {repository}:{tag}",
            e => e.Images.TagImageAsync(source, new ImageTagParameters { RepositoryName = repository, Tag = tag }, ct), ct);

    /// <summary>Removes an image (or one of its tags); false when there was none.</summary>
    public async Task<bool> RemoveImageAsync(string reference, bool force, CancellationToken ct)
    {
        var parameters = new ImageDeleteParameters { Force = force, NoPrune = false };
        try { await CallAsync($"remove image {reference}", e => e.Images.DeleteImageAsync(reference, parameters, ct), ct); return true; }
        catch (DockerApiException e) when (e.IsNotFound) { return false; }
    }

    /// <summary>Imports a root file system tarball as <c>repository:tag</c>; <paramref name="changes"/> are Dockerfile lines. Returns the
    /// image id.</summary>
    public async Task<string> ImportImageAsync(
        Stream tarball,
        string repository,
        string tag,
        IReadOnlyList<string>? changes,
        CancellationToken ct
    )
    {
        var operation = $"import {repository}:{tag}";
        var parameters = new ImagesCreateParameters { Repo = repository, Tag = tag, Changes = changes?.ToList() };
        string? id = null;
        var messages = new MessageSink(operation, m =>
        {
            if (m.Status is { } status && status.StartsWith("sha256:", StringComparison.Ordinal)) id = status.Trim();
        });
        await CallAsync(operation, e => e.Images.CreateImageAsync(parameters, tarball, null, messages, ct), ct);
        messages.ThrowIfFailed();
        return id ?? (await InspectImageAsync($"{repository}:{tag}", ct))?.Id
            ?? throw new PipelineException($"Docker engine: {operation} reported no image; see the engine's log.");
    }

    /// <summary>Pulls a reference (<c>repo:tag</c> or <c>repo@sha256:…</c>), reporting the engine's progress messages.</summary>
    public async Task PullImageAsync(string reference, AuthConfig? auth, Action<JSONMessage>? onMessage, CancellationToken ct)
    {
        var operation = $"pull {reference}";
        var messages = new MessageSink(operation, onMessage);
        await CallAsync(
            operation,
            e => e.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = reference }, auth, messages, ct),
            ct
        );
        messages.ThrowIfFailed();
    }

    /// <summary>
    /// Builds an image from a tar context with the classic builder, reporting each parsed event as it arrives.
    /// Returns the image id; a failure throws <see cref="DockerBuildException"/> naming the failed step.
    /// </summary>
    public async Task<string> BuildImageAsync(Stream context, BuildOptions options, Action<BuildEvent>? onEvent, CancellationToken ct)
    {
        string? imageId = null, container = null;
        BuildEvent.Step? step = null;
        DockerBuildException? failure = null;
        var lastLines = new Queue<string>();
        var messages = new MessageSink(null, m =>
        {
            foreach (var e in BuildEvent.From(m))
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
                        failure ??= new DockerBuildException(
                            step is null
                                ? $"docker build failed: {f.Message}"
                                : $"docker build failed at step {step.Number}/{step.Total} ({step.Instruction}): {f.Message}",
                            step,
                            [.. lastLines],
                            options.KeepFailedContainer ? container : null
                        );
                        break;
                }
            }
        });
        await CallAsync($"build {string.Join(", ", options.Tags)}".TrimEnd(),
            e => e.Images.BuildImageFromDockerfileAsync(EngineParameters.Build(options), context, null, null, messages, ct), ct);
        if (failure is not null) throw failure;
        if (imageId is null && options.Tags.Count > 0) imageId = (await InspectImageAsync(options.Tags[0], ct))?.Id;
        return imageId ?? throw new PipelineException("docker build ended without reporting an image; see the build output above.");
    }

    /// <summary>
    /// Pushes <c>repository:tag</c> with <paramref name="auth"/> (anonymous when null: the engine still gets an empty
    /// X-Registry-Auth); returns the manifest digest the registry stored (<c>sha256:…</c>).
    /// </summary>
    public async Task<string> PushImageAsync(
        string repository,
        string tag,
        AuthConfig? auth,
        Action<JSONMessage>? onMessage,
        CancellationToken ct
    )
    {
        var operation = $"push {repository}:{tag}";
        string? digest = null;
        var messages = new MessageSink(operation, m =>
        {
            onMessage?.Invoke(m);
            digest = PushedDigest(m) ?? digest;
        });
        await CallAsync(operation, e => e.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, auth, messages, ct), ct);
        messages.ThrowIfFailed();
        return digest
            ?? throw new PipelineException(
                $"Docker engine: {operation} reported no digest; check that the registry accepted the manifest."
            );
    }

    /// <summary>The digest a push message reports: <c>aux.Digest</c>, or the <c>… digest: sha256:… size: …</c> status.</summary>
    public static string? PushedDigest(JSONMessage message)
    {
        if (AuxString(message, "Digest") is { Length: > 0 } digest) return digest;
        return message.Status is { } status && DigestStatus().Match(status) is { Success: true } m ? m.Groups[1].Value : null;
    }

    /// <summary>A string of the message's <c>aux</c> object (the build's <c>ID</c>, the push's <c>Digest</c>).</summary>
    public static string? AuxString(JSONMessage message, string key) =>
        message.Aux?.ExtensionData is { } aux && aux.TryGetValue(key, out var value)
            ? value switch
            {
                string s => s,
                JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
                _ => null,
            }
            : null;

    /// <summary>Writes a <c>docker save</c> tarball of the images to <paramref name="destination"/>.</summary>
    public Task SaveImagesAsync(IReadOnlyList<string> references, Stream destination, CancellationToken ct) =>
        CallAsync($"save {string.Join(", ", references)}", async e =>
        {
            await using var stream = await e.Images.SaveImagesAsync([.. references], ct);
            await stream.CopyToAsync(destination, ct);
        }, ct);

    /// <summary>Loads a <c>docker save</c> archive (plain or gzip-compressed) into the engine; <paramref name="what"/> names it in
    /// errors.</summary>
    public async Task LoadImagesAsync(Stream archive, string what, CancellationToken ct)
    {
        var messages = new MessageSink($"load {what}", null);
        await CallAsync($"load {what}", e => e.Images.LoadImageAsync(new ImageLoadParameters { Quiet = true }, archive, messages, ct), ct);
        messages.ThrowIfFailed();
    }

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex DigestStatus();

    /// <summary>
    /// Receives the engine's progress messages as they are read (synchronously, in order; <see cref="Progress{T}"/>
    /// would post them to the thread pool) and keeps the first error a message reports.
    /// </summary>
    private sealed class MessageSink(string? operation, Action<JSONMessage>? onMessage) : IProgress<JSONMessage>
    {
        private string? _error;

        public void Report(JSONMessage value)
        {
            onMessage?.Invoke(value);
            if (value.Error?.Message is { Length: > 0 } error) _error ??= error.Trim();
        }

        public void ThrowIfFailed()
        {
            if (_error is not null) throw new PipelineException($"Docker engine: {operation}: {_error}");
        }
    }
}
