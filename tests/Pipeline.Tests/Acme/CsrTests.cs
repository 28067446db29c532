using FluentAssertions;
using Pipeline.Acme;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace Pipeline.Tests.Acme;

public sealed class CsrTests
{
    private static readonly string[] Names = ["a.example.com", "b.example.com", "*.c.example.com"];

    [Theory]
    [InlineData(KeyType.EcP256, "1.2.840.10045.2.1")]
    [InlineData(KeyType.Rsa2048, "1.2.840.113549.1.1.1")]
    public void The_CSR_names_the_first_name_as_subject_and_every_name_as_a_SAN_signed_by_the_key_of_the_chosen_type(
        KeyType type,
        string algorithmOid
    )
    {
        var der = Csr.Create(Names, type, Csr.NewKeyPem(type));
        var request = CertificateRequest.LoadSigningRequest(
            der,
            HashAlgorithmName.SHA256,
            CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions
        );

        request.SubjectName.Name.Should().Be("CN=a.example.com");
        request.PublicKey.Oid.Value.Should().Be(algorithmOid);
        var san = new X509SubjectAlternativeNameExtension(request.CertificateExtensions.Single(e => e.Oid?.Value == "2.5.29.17").RawData);
        san.EnumerateDnsNames().Should().Equal(Names);
    }

    [Fact]
    public void RSA_keys_are_2048_bits()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(Csr.NewKeyPem(KeyType.Rsa2048));
        rsa.KeySize.Should().Be(2048);
    }

    [Fact]
    public void The_ARI_certificate_id_is_the_authority_key_id_and_serial_as_in_RFC_9773()
    {
        // RFC 9773 §4.1's example: AKI 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4, serial 00:87:65:43:21.
        byte[] aki = Convert.FromHexString("69885B6B87464041E1B37B847BA0AE2CDE01C8D4");
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(aki, false));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(aki));
        using var leaf = request.Create(
            ca,
            DateTimeOffset.UtcNow.AddDays(-1),
            DateTimeOffset.UtcNow.AddDays(5),
            [0x00, 0x87, 0x65, 0x43, 0x21]
        );

        Csr.AriCertId(leaf).Should().Be("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
    }
}
