using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pipeline.Acme;

/// <summary>
/// What Traefik keeps in acme.json: the account (its key and URL per directory) and one certificate per names set.
/// Holds private keys: never logged (<see cref="ToString"/> shows counts only).
/// </summary>
public sealed record AcmeState(int Version, AcmeAccountState? Account, IReadOnlyList<CertificateState> Certificates)
{
    public static readonly AcmeState Empty = new(1, null, []);

    public CertificateState? Find(string setKey) => Certificates.FirstOrDefault(c => NameSet.KeyOf(c.Names) == setKey);

    public AcmeState With(CertificateState certificate) => this with
    {
        Certificates = [.. Certificates.Where(c => NameSet.KeyOf(c.Names) != NameSet.KeyOf(certificate.Names)), certificate],
    };

    public override string ToString() =>
        $"ACME state ({(Account is null ? "no account" : "account")}, {Certificates.Count} certificate(s))";
}

/// <param name="Key">The account's ES256 private key, PKCS#8 PEM.</param>
/// <param name="Urls">The account URL per directory URL (the same key may be registered with several CAs).</param>
public sealed record AcmeAccountState(string Key, IReadOnlyDictionary<string, string> Urls)
{
    public static AcmeAccountState New()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new AcmeAccountState(key.ExportPkcs8PrivateKeyPem(), new Dictionary<string, string>());
    }

    public ECDsa LoadKey()
    {
        var key = ECDsa.Create();
        key.ImportFromPem(Key);
        return key;
    }

    public override string ToString() => $"ACME account ({Urls.Count} directory URL(s))";
}

/// <param name="Chain">The chain as the CA sent it, leaf first (PEM).</param>
/// <param name="Key">The certificate's private key (PKCS#8 PEM).</param>
public sealed record CertificateState(
    IReadOnlyList<string> Names,
    KeyType KeyType,
    string Directory,
    string Chain,
    string Key,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    DateTimeOffset IssuedAt
)
{
    public X509Certificate2 Leaf() => X509Certificate2.CreateFromPem(Chain);

    public override string ToString() => $"certificate for {string.Join(", ", Names)} (valid until {NotAfter:yyyy-MM-dd})";
}
