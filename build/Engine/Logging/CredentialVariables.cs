namespace Pipeline.Engine;

/// <summary>
/// Environment variables that hold credentials, whether or not a <c>[Secret]</c> parameter reads them: the clouds'
/// keys (AWS_SECRET_ACCESS_KEY, GCP_ACCESS_TOKEN), CI tokens, webhooks, registry passwords. Their values are
/// registered as secrets when a build starts, so a tool, an SDK error or a service that echoes one is masked too.
/// </summary>
public static class CredentialVariables
{
    /// <summary>
    /// Parts of a variable's name that make it a credential (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, GCP_ACCESS_TOKEN,
    /// GHCR_TOKEN, ECR_PASSWORD, SLACK_WEBHOOK, STAGING_DATABASE_URL…).
    /// </summary>
    private static readonly string[] Parts =
        ["TOKEN", "PASSWORD", "PASSWD", "SECRET", "WEBHOOK", "ACCESS_KEY", "PRIVATE_KEY", "API_KEY", "CREDENTIAL", "DATABASE_URL"];

    /// <summary>Values shorter than this are not taken as credentials from a name alone (SOME_TOKEN=none, =1).</summary>
    private const int MinimumLength = 6;

    public static bool IsCredential(string name)
    {
        var upper = name.ToUpperInvariant();
        // GOOGLE_APPLICATION_CREDENTIALS_FILE, TOKEN_PATH: where a credential is, not the credential.
        if (
            upper.EndsWith("_FILE", StringComparison.Ordinal)
            || upper.EndsWith("_PATH", StringComparison.Ordinal)
            || upper.EndsWith("_DIR", StringComparison.Ordinal)
        )
            return false;
        return Parts.Any(p => upper.Contains(p, StringComparison.Ordinal));
    }

    /// <summary>Registers the value of every credential variable in <paramref name="environment"/>.</summary>
    public static void Register(IReadOnlyDictionary<string, string> environment, SecretMasker masker)
    {
        foreach (var (name, value) in environment)
            if (IsCredential(name) && value.Trim().Length >= MinimumLength)
                masker.Register(value);
    }
}
