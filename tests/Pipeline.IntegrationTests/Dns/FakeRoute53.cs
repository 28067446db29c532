using Pipeline.IntegrationTests.CI;
using Pipeline.IntegrationTests.Deploying.Cloud;
using Pipeline.Tools.Aws;
using System.Net;
using System.Xml.Linq;
using static Pipeline.IntegrationTests.Dns.FakeRoute53Shapes;

namespace Pipeline.IntegrationTests.Dns;

/// <summary>One Route 53 request as the fake received it.</summary>
public sealed record Route53Call(string Method, string Path, SortedDictionary<string, string> Query, string Body, bool Accepted)
{
    /// <summary>The API operation it names.</summary>
    public string Operation => (Method, Path.Contains("/change/", StringComparison.Ordinal)) switch
    {
        ("POST", _) => "ChangeResourceRecordSets",
        (_, true) => "GetChange",
        _ => "ListResourceRecordSets",
    };
}

/// <summary>
/// A LOCAL FAKE of Route 53's REST-XML API (2013-04-01) on 127.0.0.1 for one hosted zone: ListResourceRecordSets (sets in
/// Route 53's order, from name/type, maxitems), ChangeResourceRecordSets (all or nothing; DELETE must give the set's exact
/// TTL and values, CREATE a set that is not there; TXT values must be quoted; a CNAME never shares its name) and GetChange
/// (PENDING once, then INSYNC). Every request's SigV4 signature is checked against the one @smithy/signature-v4 computes
/// (through the <see cref="CloudReferee"/>, never Pipeline's signer).
/// </summary>
public sealed class FakeRoute53 : IDisposable
{
    public const string HostedZone = "Z0123456789ABCDEFGHIJ";
    private readonly LocalHttpServer _server;
    private readonly CloudReferee _referee;
    private readonly AwsCredentials _credentials;
    private readonly string _zone, _hostedZone;
    private readonly SortedDictionary<(string Name, string Type), (int Ttl, List<string> Values)> _sets = new(new Order());
    private readonly Dictionary<string, int> _changes = [];
    private readonly Lock _gate = new();

    /// <param name="credentials">The keys that sign; with a session token (an assumed role's), a request without it is refused.</param>
    public FakeRoute53(CloudReferee referee, AwsCredentials credentials, string zone, string hostedZone = HostedZone,
        bool anyHost = false)
    {
        (_referee, _credentials, _zone, _hostedZone) = (referee, credentials, zone + ".", hostedZone);
        _server = new LocalHttpServer(Handle, anyHost);
        Endpoint = new Uri(_server.Url);
        _sets[(_zone, "NS")] = (172800, ["ns-1.awsdns-01.org.", "ns-2.awsdns-02.co.uk."]);
    }

    public Uri Endpoint { get; }
    public List<Route53Call> Calls { get; } = [];

    /// <summary>A set put there by someone else (values in Route 53's form: TXT quoted).</summary>
    public void Seed(string name, string type, int ttl, params string[] values)
    {
        lock (_gate) _sets[(name.TrimEnd('.') + ".", type)] = (ttl, values.ToList());
    }

    /// <summary>Every set but the zone's NS as "TYPE name. ttl value,value".</summary>
    public IReadOnlyList<string> Sets()
    {
        lock (_gate)
            return _sets.Where(s => s.Key.Type != "NS")
                .Select(s => $"{s.Key.Type} {s.Key.Name} {s.Value.Ttl} {string.Join(',', s.Value.Values)}")
                .ToList();
    }

    private (int, string) Handle(RecordedRequest request)
    {
        var query = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in request.Query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)))
            query[Uri.UnescapeDataString(pair[0])] = pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : "";
        var signature = _referee.CheckAws(request, _credentials, query);
        lock (_gate)
        {
            var (status, body) = signature switch
            {
                CloudReferee.AwsSignature.Mismatch => Error(403, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided."),
                CloudReferee.AwsSignature.TokenRefused => Error(403, "InvalidClientTokenId",
                    "The security token included in the request is invalid."),
                _ => Route(request, query),
            };
            Calls.Add(new Route53Call(request.Method, request.Path, query, request.Body, status < 400));
            return (status, body);
        }
    }

    private (int, string) Route(RecordedRequest request, SortedDictionary<string, string> query)
    {
        var parts = request.Path.Trim('/').Split('/');
        if (parts is ["2013-04-01", "change", var id] && request.Method == "GET")
        {
            if (!_changes.TryGetValue(id, out var polls))
                return Error(404, "NoSuchChange", $"A change with the specified change ID {id} does not exist.");
            _changes[id] = polls + 1;
            return (200, Answer("GetChange", ChangeInfo(id, polls == 0 ? "PENDING" : "INSYNC")));
        }
        if (parts is not ["2013-04-01", "hostedzone", var zone, "rrset"])
            return Error(404, "NotFound", "no such operation: " + request.Path);
        if (zone != _hostedZone) return Error(404, "NoSuchHostedZone", $"No hosted zone found with ID: {zone}");
        return request.Method switch
        {
            "GET" => List(query),
            "POST" => Change(request.Body),
            _ => Error(405, "MethodNotAllowed", request.Method),
        };
    }

    private (int, string) List(SortedDictionary<string, string> query)
    {
        var start = (Name: query.GetValueOrDefault("name", ""), Type: query.GetValueOrDefault("type", ""));
        if (start.Type.Length > 0 && start.Name.Length == 0) return Error(400, "InvalidInput", "type without name");
        var max = int.Parse(query.GetValueOrDefault("maxitems", "300"), System.Globalization.CultureInfo.InvariantCulture);
        var order = new Order();
        var from = _sets.Where(s => start.Name.Length == 0 || order.Compare(s.Key, (start.Name.ToLowerInvariant(), start.Type)) >= 0)
            .ToList();
        var page = from.Take(max).ToList();
        var next = from.Skip(max).FirstOrDefault();
        var truncated = from.Count > max;
        return (200, Answer("ListResourceRecordSets",
            new XElement(Ns + "ResourceRecordSets", page.Select(s => new XElement(Ns + "ResourceRecordSet",
                new XElement(Ns + "Name", s.Key.Name), new XElement(Ns + "Type", s.Key.Type), new XElement(Ns + "TTL", s.Value.Ttl),
                new XElement(Ns + "ResourceRecords",
                    s.Value.Values.Select(v => new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", v))))))),
            new XElement(Ns + "IsTruncated", truncated ? "true" : "false"),
            truncated ? new XElement(Ns + "NextRecordName", next.Key.Name) : null,
            truncated ? new XElement(Ns + "NextRecordType", next.Key.Type) : null,
            new XElement(Ns + "MaxItems", max)));
    }

    private (int, string) Change(string body)
    {
        XElement request;
        try { request = XElement.Parse(body); }
        catch (System.Xml.XmlException e) { return Error(400, "MalformedInput", e.Message); }
        if (request.Name != Ns + "ChangeResourceRecordSetsRequest") return Error(400, "MalformedInput", $"unexpected {request.Name}");
        var changes = request.Descendants(Ns + "Change").ToList();
        if (changes.Count == 0) return Error(400, "InvalidInput", "ChangeBatch has no Changes");
        var after = new SortedDictionary<(string Name, string Type), (int Ttl, List<string> Values)>(_sets, new Order());
        foreach (var change in changes)
        {
            var action = change.Element(Ns + "Action")?.Value;
            var set = change.Element(Ns + "ResourceRecordSet");
            var key = ((set?.Element(Ns + "Name")?.Value ?? "").ToLowerInvariant(), set?.Element(Ns + "Type")?.Value ?? "");
            if (!key.Item1.EndsWith('.')) key.Item1 += ".";
            var ttlText = set?.Element(Ns + "TTL")?.Value;
            var values = set?.Descendants(Ns + "Value").Select(v => v.Value).ToList() ?? [];
            var where = $"[name='{key.Item1}', type='{key.Item2}']";
            if (action is not ("CREATE" or "DELETE" or "UPSERT")) return Error(400, "InvalidInput", $"Invalid Action {action}");
            if (key.Item1 != _zone && !key.Item1.EndsWith("." + _zone, StringComparison.Ordinal))
                return Error(400, "InvalidChangeBatch", $"RRSet with DNS name {key.Item1} is not permitted in zone {_zone}");
            if (key.Item2 is not ("A" or "AAAA" or "CNAME" or "TXT")) return Error(400, "InvalidInput", $"Invalid Type {key.Item2}");
            if (ttlText is null || values.Count == 0) return Error(400, "InvalidInput", $"{where}: TTL and ResourceRecords are required");
            if (Bad(key.Item2, values) is { } bad)
                return Error(400, "InvalidChangeBatch", $"Invalid Resource Record: FATAL problem: {bad}");
            var ttl = int.Parse(ttlText, System.Globalization.CultureInfo.InvariantCulture);
            var exists = after.TryGetValue(key, out var now);
            switch (action)
            {
                case "DELETE" when !exists:
                    return Error(400, "InvalidChangeBatch", $"Tried to delete resource record set {where} but it was not found");
                case "DELETE" when now.Ttl != ttl || !now.Values.Order().SequenceEqual(values.Order()):
                    return Error(400, "InvalidChangeBatch",
                        $"Tried to delete resource record set {where} but the values provided do not match the current values");
                case "DELETE":
                    after.Remove(key);
                    continue;
                case "CREATE" when exists:
                    return Error(400, "InvalidChangeBatch", $"Tried to create resource record set {where} but it already exists");
            }
            var beside = after.Keys.Where(k => k.Name == key.Item1 && k.Type is not "NS" && k.Type != key.Item2);
            if (beside.Any(k => k.Type == "CNAME" || key.Item2 == "CNAME"))
                return Error(400, "InvalidChangeBatch", $"RRSet of type CNAME with DNS name {key.Item1} is not permitted "
                    + $"as it conflicts with other records with the same DNS name in zone {_zone}");
            after[key] = (ttl, values);
        }
        _sets.Clear();
        foreach (var (k, v) in after) _sets[k] = v;
        var id = $"C{_changes.Count + 1:D4}EXAMPLE6TXR";
        _changes[id] = 0;
        var comment = request.Descendants(Ns + "Comment").FirstOrDefault()?.Value;
        return (200, Answer("ChangeResourceRecordSets", ChangeInfo(id, "PENDING", comment)));
    }

    public void Dispose() => _server.Dispose();
}
