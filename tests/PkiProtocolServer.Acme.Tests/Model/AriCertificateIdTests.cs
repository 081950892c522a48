using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Services;

namespace PkiProtocolServer.Acme.Tests.Model;

/// <summary>RFC 9773 4.1 certIDs: computed from a certificate, parsed, and mapped to the serial form the stores use.</summary>
public sealed class AriCertificateIdTests
{
    [Theory]
    [InlineData("0080a1b2c3", "80a1b2c3")]
    [InlineData("7fa1b2c3", "7fa1b2c3")]
    [InlineData("01", "01")]
    public void A_certificates_certId_keeps_the_sign_octet_and_maps_to_the_stored_serial(string serialHex, string storedSerial)
    {
        using var certificate = Signed(Convert.FromHexString(serialHex), out var keyIdentifier);

        var id = AriCertificateId.Of(certificate)!;

        Assert.Equal(RenewalTestSupport.B64(keyIdentifier) + "." + RenewalTestSupport.B64(Convert.FromHexString(serialHex)), id.ToString());
        Assert.Equal(storedSerial, id.SerialHex);
        Assert.True(AriCertificateId.Parse(id.ToString()).Names(certificate));
    }

    [Fact]
    public void A_certId_with_another_key_identifier_does_not_name_the_certificate()
    {
        using var certificate = Signed([0x42], out _);
        var id = AriCertificateId.Of(certificate)!;

        Assert.False((id with { KeyIdentifier = [1, 2, 3] }).Names(certificate));
    }

    [Theory]
    [InlineData("AQ.AAE")] // a redundant leading zero octet
    [InlineData("AQ.gA")] // a negative serial
    [InlineData("AQ.AQ==")]
    [InlineData("AQ")]
    public void A_certId_that_is_not_canonical_is_malformed(string value)
    {
        var e = Assert.Throws<AcmeException>(() => AriCertificateId.Parse(value));

        Assert.Equal(AcmeErrorType.Malformed, e.Type);
    }

    private static X509Certificate2 Signed(byte[] serial, out byte[] keyIdentifier)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=ARI test CA", caKey, HashAlgorithmName.SHA256);
        var ski = new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false);
        caRequest.CertificateExtensions.Add(ski);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
        keyIdentifier = Convert.FromHexString(ski.SubjectKeyIdentifier!);
        var leafRequest = new CertificateRequest("CN=leaf.example.org", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        return leafRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
    }
}
