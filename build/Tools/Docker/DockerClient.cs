using Docker.DotNet;
using Docker.DotNet.Unix;
using Pipeline.Engine;
using System.Net.Sockets;
using System.Text.Json;
using IEngineApi = Docker.DotNet.IDockerClient;
using LibraryApiException = Docker.DotNet.DockerApiException;
using LibraryClient = Docker.DotNet.DockerClient;

namespace Pipeline.Tools.Docker;

/// <summary>
/// The build's seam to the Docker engine, over Docker.DotNet (Enhanced): the calls the build makes, with answers in
/// Pipeline's own records (<see cref="ImageInspect"/>, <see cref="ContainerInspect"/>, …) and every failure a
/// <see cref="PipelineException"/> that names the call. The API version is negotiated once from <c>/version</c>: the
/// engine's own, capped at <see cref="MaxApiVersion"/> (docker.io 20.10 speaks 1.41; current engines refuse versions
/// below their minimum, so no fixed old version is pinned). Thread-safe; share one per engine.
/// </summary>
public sealed partial class DockerClient : IDisposable
{
    /// <summary>The newest API version spoken: the one Docker.DotNet.Enhanced 4.4 models (Docker 29).</summary>
    public const string MaxApiVersion = "1.52";
    public const string MinApiVersion = "1.25";

    private readonly SemaphoreSlim _negotiation = new(1, 1);
    private readonly LibraryClient _unversioned;
    private LibraryClient? _engine;
    private string? _apiVersion;

    public DockerClient(DockerEndpoint? endpoint = null)
    {
        Endpoint = endpoint ?? DockerEndpoint.FromEnvironment();
        _unversioned = Connect(null);
    }

    public DockerEndpoint Endpoint { get; }

    /// <summary>How long a call that is not a stream (build, push, pull, logs, wait) may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The API version in use: the engine's, capped at <see cref="MaxApiVersion"/>.</summary>
    public async Task<string> ApiVersionAsync(CancellationToken ct)
    {
        await EngineAsync(ct);
        return _apiVersion!;
    }

    /// <summary>The lower of the engine's API version and ours; engines older than <see cref="MinApiVersion"/> are refused.</summary>
    public static string Negotiate(string engineVersion)
    {
        var engine = Version.Parse(engineVersion);
        if (engine < Version.Parse(MinApiVersion))
            throw new PipelineException(
                $"The Docker engine speaks API {engineVersion}; Pipeline needs at least {MinApiVersion} (Docker 1.13 or newer): upgrade "
                + $"the engine."
            );
        return engine < Version.Parse(MaxApiVersion) ? engineVersion : MaxApiVersion;
    }

    /// <summary>
    /// Pays the client's first-call set-up (HTTP, the API version, the library's serializer for image summaries) with a
    /// read-only listing of the images labelled <paramref name="label"/>, so that a client made later in the process starts
    /// warm. Errors are dropped: the real calls report them.
    /// </summary>
    public static async Task WarmUpAsync(string label, CancellationToken ct)
    {
        try
        {
            using var client = new DockerClient { RequestTimeout = TimeSpan.FromSeconds(5) };
            await client.ListImagesAsync([label], null, ct);
        }
        catch (Exception) { }
    }

    /// <summary><c>GET /_ping</c>: true when an engine answers.</summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            await CallAsync("ping", _unversioned, e => e.System.PingAsync(ct), ct);
            return true;
        }
        catch (PipelineException) { return false; }
    }

    /// <summary><c>GET /version</c> (unversioned, so it also works before negotiation).</summary>
    public async Task<VersionInfo> VersionAsync(CancellationToken ct) =>
        EngineModels.Version(await CallAsync("version", _unversioned, e => e.System.GetVersionAsync(ct), ct));

    /// <summary>Runs one Engine API call with the negotiated version; its failures become <see cref="PipelineException"/>s naming <paramref
    /// name="operation"/>.</summary>
    private async Task<T> CallAsync<T>(string operation, Func<IEngineApi, Task<T>> call, CancellationToken ct) =>
        await CallAsync(operation, await EngineAsync(ct), call, ct);

    private Task CallAsync(string operation, Func<IEngineApi, Task> call, CancellationToken ct) =>
        CallAsync(operation, async e => { await call(e); return true; }, ct);

    private Task CallAsync(string operation, IEngineApi engine, Func<IEngineApi, Task> call, CancellationToken ct) =>
        CallAsync(operation, engine, async e => { await call(e); return true; }, ct);

    private async Task<T> CallAsync<T>(string operation, IEngineApi engine, Func<IEngineApi, Task<T>> call, CancellationToken ct)
    {
        try { return await call(engine); }
        catch (LibraryApiException e) { throw new DockerApiException(e.StatusCode, operation, ErrorText(e.ResponseBody ?? "")); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new PipelineException(
                $"Docker engine at {Endpoint}: {operation} did not answer within {RequestTimeout.TotalSeconds:0} s; check the engine "
                + $"(./build.sh Up restarts a local one)."
            );
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw new PipelineException(
                $"No Docker engine answers at {Endpoint} ({operation}: {e.InnerException?.Message ?? e.Message}); start one with "
                + $"./build.sh Up or set DOCKER_HOST.",
                e
            );
        }
    }

    private static bool IsUnreachable(Exception e) => e switch
    {
        SocketException => true,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => true,
        HttpRequestException { InnerException: SocketException or IOException } => true,
        _ => false,
    };

    private async Task<IEngineApi> EngineAsync(CancellationToken ct)
    {
        if (_engine is { } ready) return ready;
        await _negotiation.WaitAsync(ct);
        try
        {
            if (_engine is null)
            {
                var version = await VersionAsync(ct);
                _apiVersion = Negotiate(version.ApiVersion);
                _engine = Connect(Version.Parse(_apiVersion));
            }
            return _engine;
        }
        finally { _negotiation.Release(); }
    }

    /// <summary>A library client for the endpoint; unix sockets go through the Unix transport, which can hijack exec streams.</summary>
    private LibraryClient Connect(Version? apiVersion)
    {
        var builder = new DockerClientBuilder(new DockerConfig(new EndpointSettings(Endpoint.ToString())))
            .WithEndpoint(Endpoint.Uri)
            .WithApiVersion(apiVersion)
            .WithTimeout(RequestTimeout);
        return Endpoint.IsUnix ? builder.WithTransportOptions(new UnixSocketTransportOptions()).Build() : builder.Build();
    }

    /// <summary>The engine's error message from its <c>{"message": "…"}</c> body.</summary>
    public static string ErrorText(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var m)
                && m.GetString() is { Length: > 0 } message)
                return message.Trim();
        }
        catch (JsonException) { }
        return body.Trim().Length > 0 ? body.Trim() : "(no message)";
    }

    public void Dispose()
    {
        _engine?.Dispose();
        _unversioned.Dispose();
        _negotiation.Dispose();
    }

    /// <summary>The library's endpoint settings from our <see cref="DockerEndpoint"/> alone (no docker CLI context is read).</summary>
    private sealed record EndpointSettings(string DockerHost) : IDockerCliSettings
    {
        public string? DockerConfig => null;
        public string? DockerTlsVerify => null;
        public string? DockerContext => null;
    }
}
