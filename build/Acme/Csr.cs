using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pipeline.Acme;

/// <summary>Certificate keys and signing requests (PKCS#10) for finalize; and the ARI certificate identifier.</summary>
public static class Csr
{
    /// <summary>A new private key of the type, as PKCS#8 PEM.</summary>
    public static string NewKeyPem(KeyType type)
    {
        using AsymmetricAlgorithm key = type == KeyType.Rsa2048 ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>DER CSR for the names (the first is the subject CN; all are SANs) signed with the PEM key.</summary>
    public static byte[] Create(IReadOnlyList<string> names, KeyType type, string keyPem)
    {
        var subject = new X500DistinguishedName($"CN={names[0]}");
        CertificateRequest request;
        if (type == KeyType.Rsa2048)
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(keyPem);
            request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return WithSans(request, names).CreateSigningRequest();
        }
        using var ec = ECDsa.Create();
        ec.ImportFromPem(keyPem);
        request = new CertificateRequest(subject, ec, HashAlgorithmName.SHA256);
        return WithSans(request, names).CreateSigningRequest();
    }

    private static CertificateRequest WithSans(CertificateRequest request, IReadOnlyList<string> names)
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names) san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        return request;
    }

    /// <summary>ARI's certID (RFC 9773 §4.1): base64url(authority key identifier) "." base64url(serial number DER content).</summary>
    public static string AriCertId(X509Certificate2 leaf)
    {
        var extension = leaf.Extensions.FirstOrDefault(e => e.Oid?.Value == "2.5.29.35");
        var aki = (extension is null ? null : new X509AuthorityKeyIdentifierExtension(extension.RawData).KeyIdentifier)
            ?? throw new InvalidOperationException("The certificate has no authority key identifier.");
        return $"{Base64Url.EncodeToString(aki.Span)}.{Base64Url.EncodeToString(leaf.SerialNumberBytes.Span)}";
    }
}
