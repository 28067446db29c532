using System.Globalization;

namespace Pipeline.Tools.Haproxy;

/// <summary>
/// One request as HAProxy logs it with <see cref="LogFormat"/>: backend, server, HTTP status, <c>%Tr</c> (request sent to
/// response headers, ms) and <c>%Ta</c> (the whole request's active time, ms). HAProxy writes -1 for a timer that never
/// ended and <c>&lt;NOSRV&gt;</c> when no server was chosen.
/// </summary>
public sealed record HaproxyRequestLog(string Backend, string Server, int Status, int ResponseMs, int ActiveMs)
{
    /// <summary>The marker every line of ours starts with, so other log lines on the same target are skipped.</summary>
    public const string Marker = "pipeline-request";

    /// <summary>The <c>log-format</c> of a frontend whose requests Pipeline judges (HAProxy 2.6 configuration manual, 8.2.4).</summary>
    public const string LogFormat = Marker + " %b %s %ST %Tr %Ta";

    /// <summary>The <c>log</c> line sending that format to a UDP listener of ours, with no syslog header (<c>format raw</c>).</summary>
    public static string LogTarget(string address) => $"log {address} format raw local0";

    /// <summary>Parses one datagram (raw, or behind an RFC 3164/5424 header); null when it is not one of our lines.</summary>
    public static HaproxyRequestLog? Parse(string datagram)
    {
        var at = datagram.IndexOf(Marker + " ", StringComparison.Ordinal);
        if (at < 0) return null;
        var fields = datagram[(at + Marker.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5) return null;
        return Int(fields[2]) is { } status && Int(fields[3]) is { } tr && Int(fields[4]) is { } ta
            ? new HaproxyRequestLog(fields[0], fields[1], status, tr, ta)
            : null;
    }

    private static int? Int(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
}
