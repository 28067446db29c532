using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace Pipeline.Tools.Registry;

/// <summary>
/// A registry v2 (distribution) client of Pipeline's own: ping, manifests by tag or digest, tags, blob mounts and
/// uploads, with basic or bearer-token authentication. Errors: <see cref="RegistryAuthenticationException"/> for
/// 401/403, <see cref="RegistryTransientException"/> for 5xx/429/resets, <see cref="RegistryException"/> otherwise.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly RegistryAuthenticator _auth;

    public RegistryClient(RegistryEndpoint endpoint, RegistryCredentials? credentials, HttpMessageHandler? handler = null)
    {
        Endpoint = endpoint;
        _http = new HttpClient(
            handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
            disposeHandler: handler is null
        )
        {
            BaseAddress = endpoint.BaseUri,
            Timeout = TimeSpan.FromMinutes(10),
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("pipeline-registry-client/1.0");
        _auth = new RegistryAuthenticator(endpoint.Address, credentials, _http);
    }

    public RegistryEndpoint Endpoint { get; }

    /// <summary>GET /v2/: the registry answers and the credentials are accepted.</summary>
    public async Task PingAsync(CancellationToken ct)
    {
        using var _ = await SendAsync(RegistryRequests.Ping(), null, ct);
    }

    /// <summary>The digest behind a tag or digest, or null when the repository has no such manifest.</summary>
    public async Task<ManifestHead?> HeadManifestAsync(string repository, string reference, CancellationToken ct)
    {
        using var response = await SendAsync(RegistryRequests.HeadManifest(repository, reference), null, ct, HttpStatusCode.NotFound);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        var digest =
            response.Headers.TryGetValues("Docker-Content-Digest", out var d) ? d.First()
            : ImageNames.IsDigest(reference) ? reference
            : null;
        return digest is null
            ? null
            : new ManifestHead(digest, response.Content.Headers.ContentType?.MediaType ?? "", response.Content.Headers.ContentLength ?? 0);
    }

    public async Task<Manifest?> GetManifestAsync(string repository, string reference, CancellationToken ct)
    {
        using var response = await SendAsync(RegistryRequests.GetManifest(repository, reference), null, ct, HttpStatusCode.NotFound);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        var content = await response.Content.ReadAsByteArrayAsync(ct);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var d) ? d.First() : Manifest.DigestOf(content);
        return new Manifest(response.Content.Headers.ContentType?.MediaType ?? "", digest, content);
    }

    /// <summary>Stores the manifest under a tag (or its digest); returns the digest the registry computed.</summary>
    public async Task<string> PutManifestAsync(string repository, string reference, Manifest manifest, CancellationToken ct)
    {
        using var response = await SendAsync(
            RegistryRequests.PutManifest(repository, reference, manifest.MediaType),
            () => Bytes(manifest.Content, manifest.MediaType),
            ct
        );
        return response.Headers.TryGetValues("Docker-Content-Digest", out var d) ? d.First() : manifest.Digest;
    }

    /// <summary>Every tag of the repository (following <c>Link</c> pages); empty when the repository does not exist.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken ct)
    {
        var tags = new List<string>();
        var request = RegistryRequests.ListTags(repository, 1000);
        while (true)
        {
            using var response = await SendAsync(request, null, ct, HttpStatusCode.NotFound);
            if (response.StatusCode == HttpStatusCode.NotFound) return tags;
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            if (doc.RootElement.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array)
                tags.AddRange(list.EnumerateArray().Select(t => t.GetString()!));
            var next = response.Headers.TryGetValues("Link", out var links) ? NextLink(links.First()) : null;
            if (next is null) return tags;
            request = request with { Path = next.TrimStart('/') };
        }
    }

    public async Task<bool> BlobExistsAsync(string repository, string digest, CancellationToken ct)
    {
        using var response = await SendAsync(RegistryRequests.HeadBlob(repository, digest), null, ct, HttpStatusCode.NotFound);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    /// <summary>Mounts a blob from another repository of the same registry; false when the registry declined (no copy made).</summary>
    public async Task<bool> MountBlobAsync(string repository, string digest, string fromRepository, CancellationToken ct)
    {
        using var response = await SendAsync(RegistryRequests.MountBlob(repository, digest, fromRepository), null, ct);
        if (response.StatusCode == HttpStatusCode.Created) return true;
        if (response.Headers.Location is { } location) // 202: an upload session we do not want
        {
            var path = location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
            using var _ = await SendAsync(
                new RegistryRequest(HttpMethod.Delete, path.TrimStart('/'), [RegistryScopes.Push(repository)]),
                null,
                ct,
                HttpStatusCode.NotFound
            );
        }
        return false;
    }

    /// <summary>Reads a whole blob (configs and layers of small images; larger ones stream through a file).</summary>
    public async Task<byte[]> GetBlobAsync(string repository, string digest, CancellationToken ct)
    {
        using var response = await SendAsync(RegistryRequests.GetBlob(repository, digest), null, ct);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    /// <summary>Monolithic upload: POST an upload session, PUT the bytes with their digest.</summary>
    public async Task UploadBlobAsync(string repository, string digest, byte[] content, CancellationToken ct)
    {
        string location;
        using (var started = await SendAsync(RegistryRequests.StartUpload(repository), null, ct))
            location = started.Headers.Location?.OriginalString
                ?? throw new RegistryException(Endpoint.Address, started.StatusCode, "an upload session came without a Location");
        using var _ = await SendAsync(
            RegistryRequests.CompleteUpload(repository, location, digest),
            () => Bytes(content, "application/octet-stream"),
            ct
        );
    }

    /// <summary>
    /// Sends a request, answering one authentication challenge; statuses in <paramref name="accepted"/> and 2xx
    /// are returned, the rest thrown as registry errors.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        RegistryRequest request,
        Func<HttpContent>? content,
        CancellationToken ct,
        params HttpStatusCode[] accepted
    )
    {
        for (var attempt = 0; ; attempt++)
        {
            using var message = new HttpRequestMessage(request.Method, request.Path) { Content = content?.Invoke() };
            foreach (var type in request.Accept) message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            _auth.Authorise(message, request);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (HttpRequestException e)
            {
                throw new RegistryTransientException(Endpoint.Address, 0, $"{request}: {Describe(e)}", e);
            }
            catch (IOException e)
            {
                throw new RegistryTransientException(Endpoint.Address, 0, $"{request}: {e.Message}", e);
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new RegistryTransientException(Endpoint.Address, 0, $"{request}: timed out", e);
            }

            if (response.IsSuccessStatusCode || accepted.Contains(response.StatusCode)) return response;
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 && await _auth.AnswerAsync(response, request, ct))
                    continue;
                throw await ErrorAsync(request, response, ct);
            }
        }
    }

    private async Task<RegistryException> ErrorAsync(RegistryRequest request, HttpResponseMessage response, CancellationToken ct)
    {
        var status = response.StatusCode;
        var detail = RegistryErrors.Describe(request.Method == HttpMethod.Head ? "" : await response.Content.ReadAsStringAsync(ct));
        var message = $"{request}: {(int)status} {response.ReasonPhrase}{(detail.Length > 0 ? $" ({detail})" : "")}";
        return status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new RegistryAuthenticationException(
                Endpoint.Address,
                status,
                message
            ),
            >= HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout =>
                new RegistryTransientException(Endpoint.Address, status, message),
            _ => new RegistryException(Endpoint.Address, status, message),
        };
    }

    private static string Describe(HttpRequestException e) =>
        e.InnerException is SocketException s ? s.SocketErrorCode.ToString() : e.InnerException?.Message ?? e.Message;

    private static ByteArrayContent Bytes(byte[] content, string mediaType)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return body;
    }

    /// <summary><c>&lt;/v2/x/tags/list?last=a&amp;n=1000&gt;; rel="next"</c> → the path.</summary>
    internal static string? NextLink(string header)
    {
        var start = header.IndexOf('<');
        var end = header.IndexOf('>');
        return start >= 0 && end > start && header.Contains("rel=\"next\"", StringComparison.Ordinal) ? header[(start + 1)..end] : null;
    }

    public void Dispose() => _http.Dispose();
}
