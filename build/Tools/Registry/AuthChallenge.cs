using System.Text;

namespace Pipeline.Tools.Registry;

/// <summary>
/// A <c>WWW-Authenticate</c> challenge: <c>Basic realm="Registry"</c> or
/// <c>Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"</c>.
/// </summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);
    public string? Realm => Parameters.GetValueOrDefault("realm");
    public string? Service => Parameters.GetValueOrDefault("service");
    public string? Scope => Parameters.GetValueOrDefault("scope");

    /// <summary>Parses one challenge; quoted values may hold commas (<c>scope="repository:x:pull,push"</c>).</summary>
    public static AuthChallenge Parse(string header)
    {
        var text = header.Trim();
        var space = text.IndexOf(' ');
        if (space < 0) return new AuthChallenge(text, new Dictionary<string, string>());
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = space + 1;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == ',')) i++;
            var eq = text.IndexOf('=', i);
            if (eq < 0) break;
            var key = text[i..eq].Trim();
            i = eq + 1;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    value.Append(text[i]);
                }
                i++;
            }
            else
                for (; i < text.Length && text[i] != ','; i++) value.Append(text[i]);
            parameters[key] = value.ToString().Trim();
        }
        return new AuthChallenge(text[..space], parameters);
    }

    /// <summary>
    /// The token request of the bearer flow: <c>GET realm?service=…&amp;scope=…&amp;scope=…</c> (one scope parameter
    /// per scope, as the distribution token spec says).
    /// </summary>
    public Uri TokenUri(IEnumerable<string> scopes)
    {
        if (!IsBearer || string.IsNullOrEmpty(Realm)) throw new InvalidOperationException($"Not a bearer challenge with a realm: {Scheme}");
        var query = new List<string>();
        if (!string.IsNullOrEmpty(Service)) query.Add($"service={Uri.EscapeDataString(Service)}");
        foreach (var scope in scopes.Distinct(StringComparer.Ordinal))
            query.Add($"scope={Uri.EscapeDataString(scope)}");
        var separator = Realm.Contains('?') ? "&" : "?";
        return new Uri(query.Count == 0 ? Realm : Realm + separator + string.Join("&", query));
    }
}
