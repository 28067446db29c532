namespace Pipeline.Tools.Postgres;

/// <summary>
/// Where a PostgreSQL server answers and as whom: parsed from a <c>postgres://user[:password]@host[:port]</c> URL. The
/// password never goes on a command line: the client tools receive it as <c>PGPASSWORD</c> in their environment, and
/// <see cref="ToString"/> (what logs and snapshots show) leaves it out.
/// </summary>
public sealed record PostgresConnection(string Host, int Port, string User, string? Password = null)
{
    public const int DefaultPort = 5432;

    /// <summary>The connection a URL names, or null with <paramref name="problem"/> saying what is wrong with it.</summary>
    public static PostgresConnection? TryParse(string url, out string problem)
    {
        problem = "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            problem = "is not a postgres://user@host[:port] URL";
            return null;
        }
        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0)
        {
            problem = "names a database or options: give the URL of the server only, and the databases under 'databases'";
            return null;
        }
        var userInfo = uri.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(userInfo[0]);
        if (user.Length == 0)
        {
            problem = "names no user: write postgres://user@host[:port]";
            return null;
        }
        var password = userInfo.Length == 2 ? Uri.UnescapeDataString(userInfo[1]) : null;
        return new PostgresConnection(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, user, password);
    }

    /// <summary>The connection options every client tool takes (the password is not among them).</summary>
    public IReadOnlyList<string> Options => ["--host", Host, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--username", User, "--no-password"];

    /// <summary>The environment a client tool runs with: the password as <c>PGPASSWORD</c> when there is one.</summary>
    public IReadOnlyDictionary<string, string?> Environment =>
        Password is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["PGPASSWORD"] = Password };

    /// <summary>With the password from elsewhere (a secret parameter) when the URL had none.</summary>
    public PostgresConnection WithPasswordIfNone(string? password) =>
        Password is null && !string.IsNullOrEmpty(password) ? this with { Password = password } : this;

    /// <summary>The URL without the password: what is shown and recorded.</summary>
    public override string ToString() =>
        $"postgres://{Uri.EscapeDataString(User)}@{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}";
}
