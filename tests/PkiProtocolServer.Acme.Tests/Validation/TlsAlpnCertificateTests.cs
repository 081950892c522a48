using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Validation;

namespace PkiProtocolServer.Acme.Tests.Validation;

/// <summary>The RFC 8737 certificate checks and the RFC 8738 reverse names, without a network.</summary>
public sealed class TlsAlpnCertificateTests
{
    private const string KeyAuthorization = "token.thumbprint";

    [Fact]
    public void A_certificate_with_only_the_name_and_the_critical_digest_passes()
    {
        using var certificate = TlsAlpnResponder.ChallengeCertificate("www.example.org", KeyAuthorization);

        TlsAlpn01Validator.CheckCertificate(certificate, new AcmeIdentifier("dns", "www.example.org"), KeyAuthorization);
    }

    [Fact]
    public void A_digest_of_another_key_authorization_fails()
    {
        using var certificate = TlsAlpnResponder.ChallengeCertificate("www.example.org", "other.thumbprint");

        Assert.Throws<ChallengeFailedException>(() => TlsAlpn01Validator.CheckCertificate(certificate, new AcmeIdentifier("dns", "www.example.org"), KeyAuthorization));
    }

    [Fact]
    public void A_certificate_without_the_extension_or_with_two_names_fails()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName("www.example.org");
        sans.AddDnsName("other.example.org");
        request.CertificateExtensions.Add(sans.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Throws<ChallengeFailedException>(() => TlsAlpn01Validator.CheckCertificate(certificate, new AcmeIdentifier("dns", "www.example.org"), KeyAuthorization));
    }

    [Theory]
    [InlineData("192.0.2.1", "1.2.0.192.in-addr.arpa")]
    [InlineData("2001:db8::567:89ab", "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    public void Ip_addresses_are_named_by_their_reverse_dns_name(string address, string name)
    {
        Assert.Equal(name, TlsAlpn01Validator.ReverseName(IPAddress.Parse(address)));
    }

    [Fact]
    public void The_dns01_value_is_base64url_of_sha256_of_the_key_authorization()
    {
        // RFC 8555 8.4: the TXT value for key authorization "token.thumbprint".
        var expected = TestKey.B64(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(KeyAuthorization)));

        Assert.Equal(expected, KeyAuthorizations.DnsTxtValue(KeyAuthorization));
        Assert.Equal("t.p", KeyAuthorizations.For("t", "p"));
    }
}
