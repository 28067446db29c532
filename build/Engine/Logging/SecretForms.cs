using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Engine;

/// <summary>
/// The spellings a secret takes on its way into a log line or a file: as it is, URL-encoded (a token in a query
/// string, a password in <c>user:pass@host</c>), JSON-escaped (a request or audit body), HTML-encoded (a report page)
/// and base64 (a basic-auth header, a docker <c>auths</c> entry, a Kubernetes secret), each base64 also URL-safe.
/// </summary>
/// <remarks>
/// A secret embedded in a longer base64 text (<c>base64("user:" + secret)</c>) is encoded from one of three byte
/// offsets, and only the characters of whole 3-byte groups of the secret are the same whatever surrounds it. So for
/// each offset the secret's bytes from there on are encoded in whole groups: that run of characters appears in any
/// base64 text containing the secret at that alignment, and masking it leaves at most 3 characters on each side,
/// which carry a few bits of the secret's edges and never the secret.
/// </remarks>
public static class SecretForms
{
    /// <summary>Derived forms shorter than this are not masked: too likely to match unrelated text.</summary>
    public const int MinimumDerivedLength = 8;

    private static readonly JavaScriptEncoder? Strict = null; // the serializer's default: non-ASCII and HTML characters escaped
    private static readonly JavaScriptEncoder Relaxed = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>The secret and every derived form of it long enough to mask, without repeats.</summary>
    public static IReadOnlyList<string> Of(string secret)
    {
        var forms = new List<string> { secret };
        var textual = new List<string>
        {
            secret,
            Uri.EscapeDataString(secret),
            WebUtility.UrlEncode(secret),
            WebUtility.HtmlEncode(secret),
        };
        textual.Add(LowerHex(textual[1]));
        textual.Add(LowerHex(textual[2]));
        var bytes = Encoding.UTF8.GetBytes(secret);
        var base64 = new List<string> { Convert.ToBase64String(bytes), Convert.ToBase64String(bytes).TrimEnd('=') };
        for (var offset = 0; offset < 3 && bytes.Length - offset >= 3; offset++)
        {
            var whole = (bytes.Length - offset) / 3 * 3;
            base64.Add(Convert.ToBase64String(bytes, offset, whole));
        }
        base64.AddRange(base64.Select(UrlSafe).ToList());
        foreach (var form in textual.Concat(base64))
        {
            forms.Add(form);
            forms.Add(Json(form, Strict));
            forms.Add(Json(form, Relaxed));
        }
        return forms.Where(f => f == secret || f.Length >= MinimumDerivedLength).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The inside of a JSON string literal holding <paramref name="text"/>.</summary>
    private static string Json(string text, JavaScriptEncoder? encoder)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder })) writer.WriteStringValue(text);
        return Encoding.UTF8.GetString(buffer.WrittenSpan)[1..^1];
    }

    private static string UrlSafe(string base64) => base64.TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Percent-escapes with lower-case hex digits (%2f), as some encoders write them.</summary>
    private static string LowerHex(string escaped)
    {
        var text = new StringBuilder(escaped);
        for (var i = 0; i + 2 < text.Length; i++)
            if (text[i] == '%')
            {
                text[i + 1] = char.ToLowerInvariant(text[i + 1]);
                text[i + 2] = char.ToLowerInvariant(text[i + 2]);
            }
        return text.ToString();
    }
}
