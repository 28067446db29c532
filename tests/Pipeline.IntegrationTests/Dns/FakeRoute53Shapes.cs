using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;

namespace Pipeline.IntegrationTests.Dns;

/// <summary>Route 53's answers as <see cref="FakeRoute53"/> gives them: the operation's response element, ChangeInfo,
/// ErrorResponse, the record values Route 53 refuses, and the order it lists sets in.</summary>
public static class FakeRoute53Shapes
{
    public static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";

    public static string? Bad(string type, List<string> values) => type switch
    {
        "A" => values.Any(v => !Is(v, AddressFamily.InterNetwork)) ? "ARRDATAIllegalIPv4Address" : null,
        "AAAA" => values.Any(v => !Is(v, AddressFamily.InterNetworkV6)) ? "AAAARRDATAIllegalIPv6Address" : null,
        "TXT" => values.Any(v => !v.StartsWith('"') || !v.EndsWith('"'))
            ? "InvalidCharacterString (Value should be enclosed in quotation marks)"
            : null,
        _ => values.Count > 1 ? "CNAME RRSet must have exactly one value" : null,
    };

    public static XElement ChangeInfo(string id, string status, string? comment = null) => new(Ns + "ChangeInfo",
        new XElement(Ns + "Id", "/change/" + id), new XElement(Ns + "Status", status),
        new XElement(Ns + "SubmittedAt", "2026-12-01T10:00:00.000Z"), comment is null ? null : new XElement(Ns + "Comment", comment));

    public static string Answer(string operation, params object?[] content) =>
        "<?xml version=\"1.0\"?>\n" + new XElement(Ns + $"{operation}Response", content).ToString(SaveOptions.DisableFormatting);

    public static (int, string) Error(int status, string code, string message) =>
        (status, "<?xml version=\"1.0\"?>\n" + new XElement(Ns + "ErrorResponse",
            new XElement(Ns + "Error",
                new XElement(Ns + "Type", "Sender"), new XElement(Ns + "Code", code), new XElement(Ns + "Message", message)),
            new XElement(Ns + "RequestId", "4d4e5f6a-0000-4000-8000-000000000053")).ToString(SaveOptions.DisableFormatting));

    private static bool Is(string value, AddressFamily family) => IPAddress.TryParse(value, out var a) && a.AddressFamily == family;

    /// <summary>Route 53's order: names by their labels from the right, then type.</summary>
    public sealed class Order : IComparer<(string Name, string Type)>
    {
        public int Compare((string Name, string Type) x, (string Name, string Type) y)
        {
            var byName = string.CompareOrdinal(Reverse(x.Name), Reverse(y.Name));
            return byName != 0 ? byName : string.CompareOrdinal(x.Type, y.Type);
        }

        public static string Reverse(string name) => string.Join('.', name.TrimEnd('.').Split('.').Reverse());
    }
}
