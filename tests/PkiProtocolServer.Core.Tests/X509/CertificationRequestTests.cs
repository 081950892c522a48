using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Tests.X509;

public sealed class CertificationRequestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pki-csr-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private byte[] Openssl(params string[] args)
    {
        var output = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".pem");
        var psi = new ProcessStartInfo("openssl", [.. args, "-out", output]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return File.ReadAllBytes(output);
    }

    private byte[] OpensslCsr(string keyAlg, string? digest = null, string subject = "/CN=svc.example.com")
    {
        var key = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".key");
        string[] keyArgs = keyAlg switch
        {
            "ec" => ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
            "ed25519" => ["-newkey", "ed25519"],
            var rsa => ["-newkey", rsa],
        };
        return Openssl(["req", "-new", .. keyArgs, "-nodes", "-keyout", key, "-subj", subject, "-addext", "subjectAltName=DNS:svc.example.com,IP:10.1.2.3,URI:spiffe://c/ns/a", .. digest is null ? Array.Empty<string>() : ["-" + digest]]);
    }

    [Theory]
    [InlineData("ec", "ec-256")]
    [InlineData("rsa:2048", "rsa-2048")]
    [InlineData("ed25519", "ed25519")]
    public void Openssl_csrs_parse_with_their_names_and_key(string keyAlg, string spec)
    {
        var csr = CertificationRequest.Parse(OpensslCsr(keyAlg));

        Assert.Equal("svc.example.com", csr.CommonName);
        Assert.Equal(KeySpec.FromName(spec), csr.KeySpec);
        Assert.Equal(["svc.example.com"], csr.Names.DnsNames);
        Assert.Equal("10.1.2.3", csr.Names.IpAddresses.Single().ToString());
        Assert.Equal(["spiffe://c/ns/a"], csr.Names.Uris);
    }

    [Fact]
    public void A_csr_with_a_tampered_signature_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = new CertificateRequest("CN=a.example.com", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        der[^5] ^= 0x01;

        var ex = Assert.Throws<PkiException>(() => CertificationRequest.ParseDer(der));

        Assert.Equal(PkiErrorKind.BadCsr, ex.Kind);
    }

    [Fact]
    public void A_csr_whose_subject_was_changed_after_signing_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = new CertificateRequest("CN=aaaa.example.com", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var text = System.Text.Encoding.Latin1.GetString(der).Replace("aaaa", "evil", StringComparison.Ordinal);

        var ex = Assert.Throws<PkiException>(() => CertificationRequest.ParseDer(System.Text.Encoding.Latin1.GetBytes(text)));

        Assert.Contains("does not verify", ex.Message);
    }

    [Fact]
    public void A_sha1_signed_csr_is_refused()
    {
        var ex = Assert.Throws<PkiException>(() => CertificationRequest.Parse(OpensslCsr("rsa:2048", "sha1")));

        Assert.Contains("SHA-1", ex.Message);
    }

    [Fact]
    public void An_rsa_key_below_2048_bits_is_refused()
    {
        var ex = Assert.Throws<PkiException>(() => CertificationRequest.Parse(OpensslCsr("rsa:1024")));

        Assert.Contains("2048", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a csr")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n")]
    [InlineData("MIIBAAAA")]
    public void Garbage_is_a_clear_error_never_a_crash(string text)
    {
        var ex = Assert.ThrowsAny<PkiException>(() => CertificationRequest.Parse(System.Text.Encoding.ASCII.GetBytes(text)));

        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void Der_base64_and_pem_inputs_are_all_accepted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = new CertificateRequest("CN=a.example.com", key, HashAlgorithmName.SHA256).CreateSigningRequest();

        Assert.Equal("a.example.com", CertificationRequest.Parse(der).CommonName);
        Assert.Equal("a.example.com", CertificationRequest.Parse(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(der))).CommonName);
        Assert.Equal("a.example.com", CertificationRequest.Parse(System.Text.Encoding.ASCII.GetBytes(Pem.Encode("CERTIFICATE REQUEST", der))).CommonName);
    }

    [Fact]
    public void The_challenge_password_attribute_is_read()
    {
        var key = Path.Combine(_dir, "cp.key");
        var conf = Path.Combine(_dir, "cp.cnf");
        File.WriteAllText(conf, "[req]\nprompt=no\ndistinguished_name=dn\nattributes=attrs\n[dn]\nCN=dev1\n[attrs]\nchallengePassword=binding-value\n");
        var csr = CertificationRequest.Parse(Openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-config", conf));

        Assert.Equal("binding-value", csr.ChallengePassword);
        Assert.Empty(csr.OtherAttributeTypes);
    }

    [Fact]
    public void Attributes_other_than_extension_request_and_challenge_password_are_listed_by_type()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=keygen", key, HashAlgorithmName.SHA256);
        request.OtherRequestAttributes.Add(new System.Security.Cryptography.AsnEncodedData("1.2.840.113549.1.9.16.2.37", [0x04, 0x02, 0x01, 0x02]));

        var csr = CertificationRequest.ParseDer(request.CreateSigningRequest());

        Assert.Equal(["1.2.840.113549.1.9.16.2.37"], csr.OtherAttributeTypes);
    }

    [Fact]
    public void Without_signature_verification_a_tampered_csr_parses_and_says_its_signature_was_not_checked()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = new CertificateRequest("CN=a.example.com", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        der[^5] ^= 0x01;

        var csr = CertificationRequest.ParseDer(der, verifySignature: false);

        Assert.False(csr.SignatureVerified);
        Assert.Equal("a.example.com", csr.CommonName);
        Assert.Equal(KeySpec.EcP256, csr.KeySpec);
        Assert.True(CertificationRequest.ParseDer(new CertificateRequest("CN=b", key, HashAlgorithmName.SHA256).CreateSigningRequest()).SignatureVerified);
    }

    [Fact]
    public void Without_signature_verification_a_sha1_signature_is_ignored_but_a_weak_key_is_still_refused()
    {
        var sha1 = OpensslCsr("rsa:2048", "sha1");
        Assert.False(CertificationRequest.ParseDer(Pem.DecodeOne(sha1, "CERTIFICATE REQUEST", "csr"), verifySignature: false).SignatureVerified);

        var weak = Pem.DecodeOne(OpensslCsr("rsa:1024"), "CERTIFICATE REQUEST", "csr");
        Assert.Equal(PkiErrorKind.BadCsr, Assert.Throws<PkiException>(() => CertificationRequest.ParseDer(weak, verifySignature: false)).Kind);
    }
}
