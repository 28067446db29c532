using System.Text;
using System.Text.Json;

namespace Pipeline.Tools.Docker;

/// <summary>
/// One Docker Engine API call, described before it is sent: method, path (without the <c>/v1.41</c> prefix), query,
/// headers and body. Request builders return these, so what is sent is tested without an engine.
/// </summary>
public sealed record DockerRequest(HttpMethod Method, string Path)
{
    /// <summary>A short name for errors and logs, e.g. <c>build image</c>.</summary>
    public string Operation { get; init; } = "";
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    /// <summary>A JSON body, already serialized.</summary>
    public string? Json { get; init; }
    /// <summary>A streamed body (a tar archive), sent as it is read.</summary>
    public Stream? Content { get; init; }
    public string ContentType { get; init; } = "application/json";
    /// <summary>The answer is a stream read as it arrives (progress, logs); no overall timeout applies.</summary>
    public bool Streaming { get; init; }

    public static DockerRequest Get(string path, string operation) => new(HttpMethod.Get, path) { Operation = operation };
    public static DockerRequest Post(string path, string operation) => new(HttpMethod.Post, path) { Operation = operation };
    public static DockerRequest Delete(string path, string operation) => new(HttpMethod.Delete, path) { Operation = operation };

    /// <summary>Adds a query parameter; null values are left out.</summary>
    public DockerRequest With(string key, string? value) =>
        value is null ? this : this with { Query = [.. Query, new(key, value)] };

    public DockerRequest With(string key, bool value) => With(key, value ? "1" : "0");

    public DockerRequest WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers) { [name] = value } };

    public DockerRequest WithJson<T>(T body) => this with { Json = JsonSerializer.Serialize(body, DockerJson.Options) };

    /// <summary>Adds <c>filters={"key":["value",…]}</c> when there is any filter.</summary>
    public DockerRequest WithFilters(IReadOnlyDictionary<string, IReadOnlyList<string>> filters) =>
        filters.Count == 0 ? this : With("filters", JsonSerializer.Serialize(filters, DockerJson.Options));

    /// <summary>The path and query as sent, with <paramref name="apiVersion"/> as prefix when given.</summary>
    public string PathAndQuery(string? apiVersion = null)
    {
        var sb = new StringBuilder();
        if (apiVersion is not null) sb.Append("/v").Append(apiVersion);
        sb.Append(Path);
        for (var i = 0; i < Query.Count; i++)
            sb.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(Query[i].Key)).Append('=').Append(Uri.EscapeDataString(Query[i].Value));
        return sb.ToString();
    }

    /// <summary>Escapes one path segment (an image reference like <c>registry:5000/app:1</c> keeps its slashes).</summary>
    public static string Segment(string value) => string.Join('/', value.Split('/').Select(Uri.EscapeDataString));

    public override string ToString() => $"{Method} {PathAndQuery()}";
}
