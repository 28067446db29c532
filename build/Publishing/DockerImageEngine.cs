using Docker.DotNet.Models;
using Pipeline.Engine;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Registry;

namespace Pipeline.Publishing;

/// <summary>
/// <see cref="IImageEngine"/> over the Engine API client: push with the registry's <see cref="AuthConfig"/> (X-Registry-Auth), its progress
/// messages
/// fed to the display, and its errors sorted into authentication (never retried) and transient (retried) ones.
/// </summary>
public sealed class DockerImageEngine(DockerClient docker) : IImageEngine
{
    public Task TagAsync(string imageId, string repository, string tag, CancellationToken ct) =>
        docker.TagImageAsync(imageId, repository, tag, ct);

    public async Task<string> PushAsync(string repository, string tag, string serverAddress, RegistryCredentials? credentials,
        Action<string?, string?, long, long> onProgress, CancellationToken ct)
    {
        var auth = credentials is null
            ? null
            : new AuthConfig
            {
                Username = credentials.Username,
                Password = credentials.Password,
                ServerAddress = serverAddress,
            };
        try
        {
            return await docker.PushImageAsync(repository, tag, auth,
                m => onProgress(m.ID, m.Status, m.Progress?.Current ?? 0, m.Progress?.Total ?? 0), ct);
        }
        catch (PipelineException e) when (e is not RegistryException)
        {
            if (PublishFailures.IsAuthenticationError(e.Message))
                throw new RegistryAuthenticationException(serverAddress, System.Net.HttpStatusCode.Unauthorized, e.Message);
            if (PublishFailures.IsTransientError(e.Message)) throw new TransientException(e.Message, e);
            throw;
        }
        catch (HttpRequestException e)
        {
            throw new TransientException($"push {repository}:{tag}: the engine connection failed "
            + $"({e.Message})", e);
        }
    }

    public Task SaveAsync(IReadOnlyList<string> references, Stream destination, CancellationToken ct) =>
        docker.SaveImagesAsync(references, destination, ct);
}
