using Pipeline.Engine;
using Pipeline.Tools.Aws;
using Pipeline.Tools.Dns;
using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Pipeline.Tools.Route53;

/// <summary>
/// Route 53's REST-XML API (2013-04-01), SigV4-signed by <see cref="SigV4"/> (service route53, region us-east-1):
/// ListResourceRecordSets to read one set, ChangeResourceRecordSets to write a batch of changes at once (all or nothing),
/// GetChange to see it INSYNC. Values are given and read in their presentation form (<see cref="Route53Values"/>
/// quotes TXT). An error answer raises <see cref="PipelineException"/> with Route 53's code and message.
/// </summary>
public sealed class Route53Client(HttpClient http, Uri endpoint, AwsCredentials credentials, Func<DateTimeOffset>? clock = null)
{
    public const string Namespace = "https://route53.amazonaws.com/doc/2013-04-01/";
    private static readonly XNamespace Ns = Namespace;

    /// <summary>The set of one name and type in the hosted zone (empty when it has none).</summary>
    public async Task<DnsRecordSet> ReadAsync(string hostedZone, string name, DnsRecordType type, CancellationToken ct)
    {
        var query = new List<KeyValuePair<string, string>> { new("name", name + "."), new("type", type.ToString()), new("maxitems", "1") };
        var xml = await SendAsync(HttpMethod.Get, $"/2013-04-01/hostedzone/{hostedZone}/rrset", query, null, ct);
        var first = xml.Descendants(Ns + "ResourceRecordSet").FirstOrDefault();
        if (
            first is null
            || Route53Values.Unescape(first.Element(Ns + "Name")?.Value ?? "") != DnsRecordSet.Normalize(name)
            || first.Element(Ns + "Type")?.Value != type.ToString()
        )
            return DnsRecordSet.Of(name, type, 0, []);
        var values = first.Descendants(Ns + "Value").Select(v => Route53Values.Read(type, v.Value));
        return DnsRecordSet.Of(name, type, int.Parse(first.Element(Ns + "TTL")?.Value ?? "0", CultureInfo.InvariantCulture), values);
    }

    /// <summary>Sends the changes as one batch (UPSERT or DELETE with a set's exact current values); returns the change's id.</summary>
    public async Task<string> ChangeAsync(
        string hostedZone, IReadOnlyList<(string Action, DnsRecordSet Set)> changes, string comment, CancellationToken ct)
    {
        var batch = new XElement(Ns + "ChangeBatch",
            new XElement(Ns + "Comment", comment),
            new XElement(Ns + "Changes", changes.Select(c => new XElement(Ns + "Change",
                new XElement(Ns + "Action", c.Action),
                RecordSet(c.Set)))));
        var body = new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement(Ns + "ChangeResourceRecordSetsRequest", batch));
        var text = body.Declaration + body.ToString(SaveOptions.DisableFormatting);
        var xml = await SendAsync(HttpMethod.Post, $"/2013-04-01/hostedzone/{hostedZone}/rrset", [], text, ct);
        return ChangeId(xml);
    }

    /// <summary>PENDING or INSYNC.</summary>
    public async Task<string> ChangeStatusAsync(string changeId, CancellationToken ct)
    {
        var xml = await SendAsync(HttpMethod.Get, $"/2013-04-01/change/{changeId}", [], null, ct);
        return xml.Descendants(Ns + "Status").FirstOrDefault()?.Value
            ?? throw new PipelineException($"Route 53 GetChange {changeId}: no Status");
    }

    private static XElement RecordSet(DnsRecordSet set) => new(Ns + "ResourceRecordSet",
        new XElement(Ns + "Name", set.Name + "."),
        new XElement(Ns + "Type", set.Type.ToString()),
        new XElement(Ns + "TTL", set.Ttl),
        new XElement(Ns + "ResourceRecords",
            set.Values.Select(v => new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", Route53Values.Write(set.Type, v))))));

    private static string ChangeId(XElement xml) =>
        (xml.Descendants(Ns + "Id").FirstOrDefault()?.Value ?? throw new PipelineException("Route 53 answered a change without its Id"))
            .Replace("/change/", "", StringComparison.Ordinal);

    private async Task<XElement> SendAsync(
        HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> query, string? body, CancellationToken ct)
    {
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var at = (clock ?? (() => DateTimeOffset.UtcNow))();
        var basePath = endpoint.AbsolutePath.TrimEnd('/');
        var headers = new Dictionary<string, string>
        {
            ["host"] = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}",
            ["x-amz-date"] = SigV4.AmzDate(at),
        };
        if (body is not null) headers["content-type"] = "application/xml";
        if (credentials.SessionToken is { } token) headers["x-amz-security-token"] = token;
        var authorization = SigV4.Authorization(
            credentials, "us-east-1", "route53", at, method.Method, basePath + path, query, headers, SigV4.HashHex(bytes));
        var url = $"{endpoint.Scheme}://{headers["host"]}{basePath}{path}" + (query.Count > 0 ? "?" + SigV4.CanonicalQuery(query) : "");
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", headers["content-type"]);
        }
        request.Headers.TryAddWithoutValidation("X-Amz-Date", headers["x-amz-date"]);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (credentials.SessionToken is { } t) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", t);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        XElement? xml = null;
        try { xml = XElement.Parse(text); }
        catch (System.Xml.XmlException) { }
        if (response.IsSuccessStatusCode && xml is not null) return xml;
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        var messages = xml?.Descendants().Where(e => e.Name.LocalName == "Message").Select(e => e.Value).ToList() ?? [];
        throw new PipelineException(
            $"Route 53 {method} {path}: {AwsQueryClient.Value(xml, "Code") ?? xml?.Name.LocalName ?? status}: "
            + (messages.Count > 0 ? string.Join("; ", messages) : text.Length > 200 ? text[..200] : text)
        );
    }
}
