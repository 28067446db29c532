using Pipeline.Engine;
using System.Text;
using System.Xml.Linq;

namespace Pipeline.Tools.Aws;

/// <summary>
/// AWS's Query API (Auto Scaling, EC2): <c>Action=…&amp;Version=…</c> as a form POST, SigV4-signed, XML answers.
/// The endpoint is AWS's regional one, or a local fake in tests.
/// </summary>
public sealed class AwsQueryClient(
    HttpClient http,
    Uri endpoint,
    string region,
    string service,
    string version,
    AwsCredentials credentials,
    Func<DateTimeOffset>? clock = null
)
{
    public async Task<XElement> CallAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", version) };
        form.AddRange(parameters);
        var body = Encoding.UTF8.GetBytes(string.Join('&', form.Select(p => $"{SigV4.Encode(p.Key)}={SigV4.Encode(p.Value)}")));
        var at = (clock ?? (() => DateTimeOffset.UtcNow))();
        var host = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";
        var headers = new Dictionary<string, string>
        {
            ["content-type"] = "application/x-www-form-urlencoded; charset=utf-8",
            ["host"] = host,
            ["x-amz-date"] = SigV4.AmzDate(at),
        };
        if (credentials.SessionToken is { } token) headers["x-amz-security-token"] = token;
        var authorization = SigV4.Authorization(
            credentials,
            region,
            service,
            at,
            "POST",
            endpoint.AbsolutePath,
            [],
            headers,
            SigV4.HashHex(body)
        );

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", headers["content-type"]);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", headers["x-amz-date"]);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (credentials.SessionToken is { } t) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", t);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var xml = XElement.Parse(text);
        if (!response.IsSuccessStatusCode)
        {
            var error = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            throw new PipelineException(
                $"AWS {service} {action}: "
                + $"{Value(error, "Code") ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}: "
                    + $"{Value(error, "Message") ?? text}"
            );
        }
        return xml;
    }

    /// <summary>The first descendant named <paramref name="name"/> (namespaces ignored), as text.</summary>
    public static string? Value(XElement? root, string name) => root?.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>The direct child named <paramref name="name"/> (namespaces ignored).</summary>
    public static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>The text of the direct child named <paramref name="name"/>.</summary>
    public static string? Text(XElement? parent, string name) => Child(parent, name)?.Value;

    /// <summary>The items of a list: <c>&lt;name&gt;&lt;member&gt;…</c> (Query) or <c>&lt;name&gt;&lt;item&gt;…</c> (EC2), first found at
    /// any depth.</summary>
    public static IEnumerable<XElement> Items(XElement? root, string name) =>
        root?.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Elements().Where(e => e.Name.LocalName is "member" or "item")
        ?? [];
}
