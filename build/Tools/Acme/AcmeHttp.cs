using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Pipeline.Tools.Acme;

/// <summary>
/// The HttpClient the ACME client talks through. Public CAs use the system trust; a loopback test CA (Pebble's)
/// is trusted only when the environment file names it, and only for this client (never machine-wide).
/// </summary>
public static class AcmeHttp
{
    public static HttpClient Create(string? trustedCaPemFile, string userAgent = "Pipeline-ACME/1.0")
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        if (trustedCaPemFile is not null)
        {
            if (!File.Exists(trustedCaPemFile))
                throw new Engine.PipelineException(
                    $"The trusted CA file {trustedCaPemFile} does not exist (start Pebble with ./build.sh LocalService Pebble or Up, or "
                    + $"fix certificates/trust)."
                );
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(trustedCaPemFile);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(roots, certificate, errors),
            };
        }
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return client;
    }

    /// <summary>The server's certificate chains to one of <paramref name="roots"/> and its name matched.</summary>
    public static bool TrustedBy(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (
            certificate is null
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)
        )
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? new X509Certificate2(certificate));
    }

    /// <summary>Verifies a PEM chain (leaf first) against one root, with no system trust involved.</summary>
    public static bool ChainVerifies(string chainPem, X509Certificate2 root, out string status)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPem(chainPem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        for (var i = 1; i < all.Count; i++) chain.ChainPolicy.ExtraStore.Add(all[i]);
        var ok = chain.Build(all[0]);
        status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
        return ok;
    }
}
