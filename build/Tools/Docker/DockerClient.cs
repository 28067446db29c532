using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Pipeline.Engine;

namespace Pipeline.Tools.Docker;

/// <summary>
/// Pipeline's own small Docker Engine API client: HTTP/1.1 over the engine's unix socket (or a loopback TCP port),
/// with the API version negotiated from <c>/version</c>. The request builders (<see cref="ImageRequests"/>,
/// <see cref="ContainerRequests"/>, <see cref="NetworkRequests"/>) say what is sent; this class sends it.
/// Thread-safe; share one per engine.
/// </summary>
public sealed partial class DockerClient : IDisposable
{
    /// <summary>The newest API version this client speaks; older engines are spoken to in their own version.</summary>
    public const string MaxApiVersion = "1.41";
    public const string MinApiVersion = "1.25";

    private readonly HttpClient _http;
    private readonly SemaphoreSlim _negotiation = new(1, 1);
    private string? _apiVersion;

    public DockerClient(DockerEndpoint? endpoint = null)
    {
        Endpoint = endpoint ?? DockerEndpoint.FromEnvironment();
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30), UseProxy = false };
        if (Endpoint.SocketPath is { } socketPath)
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        _http = new HttpClient(handler) { BaseAddress = Endpoint.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Pipeline", "1.0"));
    }

    public DockerEndpoint Endpoint { get; }

    /// <summary>How long a non-streaming call may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The API version in use: the engine's, capped at <see cref="MaxApiVersion"/>.</summary>
    public async Task<string> ApiVersionAsync(CancellationToken ct)
    {
        if (_apiVersion is { } known) return known;
        await _negotiation.WaitAsync(ct);
        try
        {
            if (_apiVersion is null)
            {
                var version = await VersionAsync(ct);
                _apiVersion = Negotiate(version.ApiVersion);
            }
            return _apiVersion;
        }
        finally { _negotiation.Release(); }
    }

    /// <summary>The lower of the engine's API version and ours; engines older than <see cref="MinApiVersion"/> are refused.</summary>
    public static string Negotiate(string engineVersion)
    {
        var engine = Version.Parse(engineVersion);
        if (engine < Version.Parse(MinApiVersion))
            throw new PipelineException($"The Docker engine speaks API {engineVersion}; Pipeline needs at least {MinApiVersion} (Docker 1.13 or newer).");
        return engine < Version.Parse(MaxApiVersion) ? engineVersion : MaxApiVersion;
    }

    /// <summary><c>GET /_ping</c>: true when an engine answers.</summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            var text = await SendForTextAsync(DockerRequest.Get("/_ping", "ping"), versioned: false, ct);
            return text.Trim() == "OK";
        }
        catch (PipelineException) { return false; }
    }

    /// <summary><c>GET /version</c> (unversioned, so it also works before negotiation).</summary>
    public async Task<VersionInfo> VersionAsync(CancellationToken ct) =>
        DockerJson.Deserialize<VersionInfo>(await SendForTextAsync(DockerRequest.Get("/version", "version"), versioned: false, ct));

    /// <summary>Sends a request and returns the body as text; an error status throws <see cref="DockerApiException"/>.</summary>
    public async Task<string> SendForTextAsync(DockerRequest request, CancellationToken ct) => await SendForTextAsync(request, versioned: true, ct);

    public async Task<T> SendForJsonAsync<T>(DockerRequest request, CancellationToken ct) => DockerJson.Deserialize<T>(await SendForTextAsync(request, ct));

    private async Task<string> SendForTextAsync(DockerRequest request, bool versioned, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (!request.Streaming) timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await SendAsync(request, versioned, timeout.Token);
            return await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new PipelineException($"Docker engine at {Endpoint}: {request.Operation} did not answer within {RequestTimeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>Sends a request whose answer is a stream; the caller disposes the response.</summary>
    public Task<HttpResponseMessage> SendAsync(DockerRequest request, CancellationToken ct) => SendAsync(request, versioned: true, ct);

    /// <summary>Sends a request whose answer is the engine's JSON progress stream, yielding its messages as they arrive.</summary>
    public async IAsyncEnumerable<JsonMessage> StreamMessagesAsync(DockerRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        using var response = await SendAsync(request with { Streaming = true }, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        await foreach (var message in JsonMessage.ReadAllAsync(stream, ct))
            yield return message;
    }

    private async Task<HttpResponseMessage> SendAsync(DockerRequest request, bool versioned, CancellationToken ct)
    {
        var version = versioned ? await ApiVersionAsync(ct) : null;
        using var message = new HttpRequestMessage(request.Method, request.PathAndQuery(version));
        foreach (var (name, value) in request.Headers) message.Headers.TryAddWithoutValidation(name, value);
        if (request.Json is { } json)
            message.Content = new StringContent(json, Encoding.UTF8, "application/json");
        else if (request.Content is { } content)
        {
            message.Content = new StreamContent(content, 81920);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType);
        }
        else if (request.Method == HttpMethod.Post)
            message.Content = new StringContent("", Encoding.UTF8, "application/json");

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException or IOException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new PipelineException($"No Docker engine answers at {Endpoint} ({request.Operation}: {e.InnerException?.Message ?? e.Message}); start one with ./build.sh Up or set DOCKER_HOST.", e);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new DockerApiException(response.StatusCode, request.Operation, ErrorText(body));
        }
    }

    /// <summary>The engine's error message from its <c>{"message": "…"}</c> body.</summary>
    public static string ErrorText(string body)
    {
        try
        {
            if (DockerJson.Deserialize<ErrorResponse>(body).Message is { Length: > 0 } message) return message.Trim();
        }
        catch (System.Text.Json.JsonException) { }
        catch (InvalidDataException) { }
        return body.Trim().Length > 0 ? body.Trim() : "(no message)";
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _http.Dispose();
        _negotiation.Dispose();
    }
}
