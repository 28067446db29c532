using Pipeline.Tools.Dns;
using System.Text.RegularExpressions;

namespace Pipeline.Tools.Route53;

/// <summary>Route 53's text for values and names: a TXT value is quoted strings (<see cref="TxtStrings"/>), a target
/// name and a record name end with a dot, and a name's characters other than letters, digits, '-' and '_' come back
/// escaped in octal (<c>\052</c> for '*').</summary>
public static partial class Route53Values
{
    public static string Write(DnsRecordType type, string value) => type switch
    {
        DnsRecordType.TXT => TxtStrings.Quote(value),
        DnsRecordType.CNAME => DnsRecordSet.Normalize(value) + ".",
        _ => value,
    };

    public static string Read(DnsRecordType type, string value) => type switch
    {
        DnsRecordType.TXT => TxtStrings.Unquote(value),
        DnsRecordType.CNAME => Unescape(value),
        _ => value,
    };

    /// <summary>A name as Route 53 answers it, normalised (octal escapes decoded, lower case, no final dot).</summary>
    public static string Unescape(string name) =>
        DnsRecordSet.Normalize(Octal().Replace(name, m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString()));

    [GeneratedRegex(@"\\([0-7]{3})")]
    private static partial Regex Octal();
}
