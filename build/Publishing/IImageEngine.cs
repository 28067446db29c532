using Pipeline.Tools.Registry;

namespace Pipeline.Publishing;

/// <summary>
/// What Publishing needs from the Docker engine: tag, push with per-layer progress, save. Implemented over the
/// Engine API client by <see cref="DockerImageEngine"/>.
/// </summary>
public interface IImageEngine
{
    Task TagAsync(string imageId, string repository, string tag, CancellationToken ct);

    /// <summary>Pushes <c>repository:tag</c> (X-Registry-Auth from <paramref name="credentials"/>); returns the manifest digest.</summary>
    Task<string> PushAsync(string repository, string tag, string serverAddress, RegistryCredentials? credentials,
        Action<string?, string?, long, long> onProgress, CancellationToken ct);

    /// <summary>Writes a <c>docker save</c> tarball of the references (keeps their tags) to the stream.</summary>
    Task SaveAsync(IReadOnlyList<string> references, Stream destination, CancellationToken ct);
}
