using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Keys.Pkcs11.Tests;

[Collection(SoftHsmCollection.Name)]
public sealed class Pkcs11ConcurrentIssuanceTests(SoftHsmToken token)
{
    private const int Tasks = 16;
    private const int CertificatesPerTask = 200;

    [Theory]
    [InlineData("ec-256")]
    [InlineData("ed25519")]
    public async Task Sixteen_tasks_issuing_200_certificates_each_all_verify(string specName)
    {
        var spec = KeySpec.FromName(specName);
        var caSigner = await token.Custody.GenerateAsync(spec, "issuing-ca-" + specName, CancellationToken.None);
        var algorithm = spec.DefaultSignatureAlgorithm;
        var generator = new SignerSignatureGenerator(caSigner, algorithm);
        var caName = new X500DistinguishedName("CN=SoftHSM Test CA " + specName);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;

        var issued = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(() =>
        {
            var certificates = new byte[CertificatesPerTask][];
            for (var i = 0; i < CertificatesPerTask; i++)
            {
                var request = new CertificateRequest($"CN=leaf-{t}-{i}.example", leafKey, HashAlgorithmName.SHA256);
                var serial = RandomNumberGenerator.GetBytes(16);
                serial[0] &= 0x7F;
                using var certificate = request.Create(caName, generator, now, now.AddDays(7), serial);
                certificates[i] = certificate.RawData;
            }

            return certificates;
        })));

        var all = issued.SelectMany(c => c).ToArray();
        Assert.Equal(Tasks * CertificatesPerTask, all.Length);
        Assert.Equal(all.Length, all.Select(SerialOf).Distinct().Count());
        for (var i = 0; i < all.Length; i++)
        {
            var (tbs, signatureAlgorithm, signature) = Split(all[i]);
            Assert.Equal(SignatureAlgorithms.AlgorithmIdentifier(algorithm).ToArray(), signatureAlgorithm);
            Assert.True(PublicKeys.Verify(caSigner.SubjectPublicKeyInfo.Span, algorithm, tbs, signature), $"certificate {i}");
        }
    }

    /// <summary>Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }.</summary>
    private static (byte[] Tbs, byte[] Algorithm, byte[] Signature) Split(byte[] certificate)
    {
        var outer = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence();
        var tbs = outer.ReadEncodedValue().ToArray();
        var algorithm = outer.ReadEncodedValue().ToArray();
        var signature = outer.ReadBitString(out _);
        return (tbs, algorithm, signature);
    }

    private static BigInteger SerialOf(byte[] certificate)
    {
        var tbs = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        tbs.ReadEncodedValue(); // [0] version
        return tbs.ReadInteger();
    }
}
