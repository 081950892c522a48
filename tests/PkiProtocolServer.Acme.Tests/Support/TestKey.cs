using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace PkiProtocolServer.Acme.Tests.Support;

/// <summary>An account or request key as an ACME client holds one: its JWK, its RFC 7638 thumbprint, and JWS signing.</summary>
public sealed class TestKey : IDisposable
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;
    private readonly Ed25519PrivateKeyParameters? _ed;

    private TestKey(string alg, ECDsa? ec, RSA? rsa, Ed25519PrivateKeyParameters? ed)
    {
        Alg = alg;
        _ec = ec;
        _rsa = rsa;
        _ed = ed;
    }

    public string Alg { get; }

    public static TestKey Es256() => new("ES256", ECDsa.Create(ECCurve.NamedCurves.nistP256), null, null);

    public static TestKey Es384() => new("ES384", ECDsa.Create(ECCurve.NamedCurves.nistP384), null, null);

    public static TestKey Es512() => new("ES512", ECDsa.Create(ECCurve.NamedCurves.nistP521), null, null);

    public static TestKey Rs256(int bits = 2048) => new("RS256", null, RSA.Create(bits), null);

    public static TestKey Ps256() => new("PS256", null, RSA.Create(2048), null);

    public static TestKey EdDsa() => new("EdDSA", null, null, new Ed25519PrivateKeyParameters(new SecureRandom()));

    public static IEnumerable<Func<TestKey>> All => [Es256, Es384, Es512, () => Rs256(), Ps256, EdDsa];

    /// <summary>The public JWK with its required members only.</summary>
    public JsonObject Jwk()
    {
        if (_ec is not null)
        {
            var p = _ec.ExportParameters(false);
            var crv = p.Curve.Oid.FriendlyName switch { "nistP256" or "ECDSA_P256" => "P-256", "nistP384" or "ECDSA_P384" => "P-384", _ => "P-521" };
            return new JsonObject { ["crv"] = crv, ["kty"] = "EC", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        }

        if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            return new JsonObject { ["e"] = B64(p.Exponent!), ["kty"] = "RSA", ["n"] = B64(p.Modulus!) };
        }

        return new JsonObject { ["crv"] = "Ed25519", ["kty"] = "OKP", ["x"] = B64(_ed!.GeneratePublicKey().GetEncoded()) };
    }

    /// <summary>RFC 7638: SHA-256 over the required members in lexicographic order, without whitespace.</summary>
    public string Thumbprint() => B64(SHA256.HashData(Encoding.UTF8.GetBytes(Jwk().ToJsonString())));

    public byte[] Sign(byte[] input)
    {
        if (_ec is not null)
        {
            var hash = Alg switch { "ES384" => HashAlgorithmName.SHA384, "ES512" => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA256 };
            return _ec.SignData(input, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        if (_rsa is not null)
        {
            return _rsa.SignData(input, HashAlgorithmName.SHA256, Alg == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        }

        var signer = new Ed25519Signer();
        signer.Init(true, _ed);
        signer.BlockUpdate(input, 0, input.Length);
        return signer.GenerateSignature();
    }

    /// <summary>The key's SubjectPublicKeyInfo (for a CSR that reuses the account key).</summary>
    public CertificateRequest CertificateRequestWithThisKey(string subject) =>
        _ec is not null ? new CertificateRequest(subject, _ec, HashAlgorithmName.SHA256)
        : _rsa is not null ? new CertificateRequest(subject, _rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
        : throw new NotSupportedException(".NET cannot make Ed25519 CSRs");

    public static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
    }
}
