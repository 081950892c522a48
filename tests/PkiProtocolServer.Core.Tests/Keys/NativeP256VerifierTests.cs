using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Tests.Keys;

/// <summary>The P-256 fast path must give .NET's answer, and no answer where it cannot be sure.</summary>
public sealed class NativeP256VerifierTests
{
    private static readonly byte[] Message = "a CertificationRequestInfo stands in here"u8.ToArray();

    [Theory]
    [InlineData(SignatureAlgorithm.EcdsaSha256)]
    [InlineData(SignatureAlgorithm.EcdsaSha384)]
    [InlineData(SignatureAlgorithm.EcdsaSha512)]
    public void A_good_P256_signature_verifies_on_the_fast_path(SignatureAlgorithm algorithm)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = key.SignData(Message, SignatureAlgorithms.Hash(algorithm), DSASignatureFormat.Rfc3279DerSequence);

        Assert.True(NativeP256Verifier.TryVerify(key.ExportSubjectPublicKeyInfo(), algorithm, Message, signature, out var valid) || !OperatingSystem.IsLinux());
        Assert.True(valid || !OperatingSystem.IsLinux());
        Assert.True(PublicKeys.Verify(key.ExportSubjectPublicKeyInfo(), algorithm, Message, signature));
    }

    [Fact]
    public void Fast_path_and_dotnet_agree_on_good_and_bad_signatures()
    {
        for (var i = 0; i < 200; i++)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var spki = key.ExportSubjectPublicKeyInfo();
            var message = RandomNumberGenerator.GetBytes(1 + (i % 300));
            var signature = key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            var cases = new (byte[] Message, byte[] Signature)[]
            {
                (message, signature),
                (Flip(message, i % message.Length), signature),
                (message, FlipInsideInteger(signature, i)),
                (message, key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
                (message, [.. signature, 0x00]),
            };

            foreach (var (m, s) in cases)
            {
                var expected = DotnetVerify(spki, m, s);
                if (NativeP256Verifier.TryVerify(spki, SignatureAlgorithm.EcdsaSha256, m, s, out var valid))
                {
                    Assert.Equal(expected, valid);
                }

                Assert.Equal(expected, PublicKeys.Verify(spki, SignatureAlgorithm.EcdsaSha256, m, s));
            }
        }
    }

    [Fact]
    public void A_point_off_the_curve_gets_no_verdict_and_the_regular_path_refuses_it()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = key.ExportSubjectPublicKeyInfo();
        var signature = key.SignData(Message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var offCurve = Flip(spki, spki.Length - 1); // Y changed: (X, Y') is not on P-256

        Assert.False(NativeP256Verifier.TryVerify(offCurve, SignatureAlgorithm.EcdsaSha256, Message, signature, out _));
        Assert.ThrowsAny<CryptographicException>(() => PublicKeys.Verify(offCurve, SignatureAlgorithm.EcdsaSha256, Message, signature));
    }

    [Fact]
    public void Other_keys_and_algorithms_get_no_verdict()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p256Signature = p256.SignData(Message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        Assert.False(NativeP256Verifier.TryVerify(p384.ExportSubjectPublicKeyInfo(), SignatureAlgorithm.EcdsaSha384, Message, p384.SignData(Message, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence), out _));
        Assert.False(NativeP256Verifier.TryVerify(rsa.ExportSubjectPublicKeyInfo(), SignatureAlgorithm.RsaPkcs1Sha256, Message, rsa.SignData(Message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), out _));
        Assert.False(NativeP256Verifier.TryVerify(p256.ExportSubjectPublicKeyInfo(), SignatureAlgorithm.RsaPkcs1Sha256, Message, p256Signature, out _));
        Assert.False(NativeP256Verifier.TryVerify(p256.ExportSubjectPublicKeyInfo(), SignatureAlgorithm.EcdsaSha256, Message, [], out _));
    }

    [Fact]
    public void A_P256_CSR_with_a_broken_signature_is_refused_and_a_good_one_parses()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=host.example", key, HashAlgorithmName.SHA256);
        var der = request.CreateSigningRequest();

        Assert.Equal("host.example", CertificationRequest.ParseDer(der).CommonName);

        var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var info = outer.ReadEncodedValue().ToArray();
        var algorithm = outer.ReadEncodedValue().ToArray();
        var signature = outer.ReadBitString(out _);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(info);
            writer.WriteEncodedValue(algorithm);
            writer.WriteBitString(FlipInsideInteger(signature, 7));
        }

        var e = Assert.Throws<PkiException>(() => CertificationRequest.ParseDer(writer.Encode()));
        Assert.Equal(PkiErrorKind.BadCsr, e.Kind);
    }

    private static bool DotnetVerify(byte[] spki, byte[] message, byte[] signature)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(spki, out _);
        return key.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static byte[] Flip(byte[] value, int index)
    {
        var copy = value.ToArray();
        copy[index] ^= 0x01;
        return copy;
    }

    /// <summary>Changes a byte of r's value, keeping the DER valid: SEQUENCE(30 len) INTEGER(02 len ...).</summary>
    private static byte[] FlipInsideInteger(byte[] derSignature, int salt)
    {
        var rLength = derSignature[3];
        return Flip(derSignature, 4 + 1 + (salt % (rLength - 1)));
    }
}
