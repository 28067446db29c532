using System.Text.Json;

namespace Pipeline.Tools.Docker;

/// <summary>Options of <c>POST /build</c> (the classic builder).</summary>
public sealed record BuildOptions
{
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();
    public string Dockerfile { get; init; } = "Dockerfile";
    public bool NoCache { get; init; }
    /// <summary>Keep a failing step's intermediate container (for <c>--keep-on-error</c>); otherwise always removed.</summary>
    public bool KeepFailedContainer { get; init; }
    public string? NetworkMode { get; init; }
}

/// <summary>Requests of the image endpoints, built without sending anything.</summary>
public static class ImageRequests
{
    public static DockerRequest Inspect(string reference) => DockerRequest.Get($"/images/{DockerRequest.Segment(reference)}/json", $"inspect image {reference}");

    /// <summary>Images filtered by labels (<c>key</c> or <c>key=value</c>) and references (<c>name</c>, <c>name:tag</c>, globs).</summary>
    public static DockerRequest List(IReadOnlyList<string>? labels = null, IReadOnlyList<string>? references = null)
    {
        var filters = new Dictionary<string, IReadOnlyList<string>>();
        if (labels is { Count: > 0 }) filters["label"] = labels;
        if (references is { Count: > 0 }) filters["reference"] = references;
        return DockerRequest.Get("/images/json", "list images").WithFilters(filters);
    }

    public static DockerRequest Tag(string source, string repository, string tag) =>
        DockerRequest.Post($"/images/{DockerRequest.Segment(source)}/tag", $"tag {source} as {repository}:{tag}").With("repo", repository).With("tag", tag);

    public static DockerRequest Remove(string reference, bool force = false, bool prune = true) =>
        DockerRequest.Delete($"/images/{DockerRequest.Segment(reference)}", $"remove image {reference}").With("force", force).With("noprune", !prune);

    /// <summary>Import a root filesystem tarball as an image; <paramref name="changes"/> are Dockerfile lines (<c>CMD ["bash"]</c>).</summary>
    public static DockerRequest Import(Stream tarball, string repository, string tag, IReadOnlyList<string>? changes = null, string? message = null)
    {
        var request = DockerRequest.Post("/images/create", $"import {repository}:{tag}")
            .With("fromSrc", "-").With("repo", repository).With("tag", tag).With("message", message);
        foreach (var change in changes ?? []) request = request.With("changes", change);
        return request with { Content = tarball, ContentType = "application/x-tar", Streaming = true };
    }

    /// <summary>Build from a tar context whose root holds the Dockerfile.</summary>
    public static DockerRequest Build(Stream context, BuildOptions options)
    {
        var request = DockerRequest.Post("/build", $"build {string.Join(", ", options.Tags)}".TrimEnd())
            .With("dockerfile", options.Dockerfile)
            .With("rm", true)
            .With("forcerm", !options.KeepFailedContainer)
            .With("nocache", options.NoCache)
            .With("networkmode", options.NetworkMode);
        foreach (var tag in options.Tags) request = request.With("t", tag);
        if (options.Labels.Count > 0) request = request.With("labels", JsonSerializer.Serialize(options.Labels));
        if (options.BuildArgs.Count > 0) request = request.With("buildargs", JsonSerializer.Serialize(options.BuildArgs));
        return request with { Content = context, ContentType = "application/x-tar", Streaming = true };
    }

    /// <summary>Push <c>repository:tag</c>; the engine needs X-Registry-Auth even when the registry wants none.</summary>
    public static DockerRequest Push(string repository, string tag, RegistryAuth? auth = null) =>
        DockerRequest.Post($"/images/{DockerRequest.Segment(repository)}/push", $"push {repository}:{tag}")
            .With("tag", tag)
            .WithHeader("X-Registry-Auth", (auth ?? RegistryAuth.Anonymous).Encode()) with { Streaming = true };

    /// <summary>A tarball of images (<c>docker save</c>).</summary>
    public static DockerRequest Save(IReadOnlyList<string> references)
    {
        var request = DockerRequest.Get("/images/get", $"save {string.Join(", ", references)}") with { Streaming = true };
        foreach (var reference in references) request = request.With("names", reference);
        return request;
    }
}
