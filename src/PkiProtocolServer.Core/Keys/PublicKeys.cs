using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Keys;

/// <summary>Reads SubjectPublicKeyInfo structures and verifies signatures made by them.</summary>
public static class PublicKeys
{
    /// <summary>The key type and size of a DER SubjectPublicKeyInfo, or an error naming what is unacceptable.</summary>
    public static KeySpec Describe(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        var publicKey = Load(subjectPublicKeyInfo);
        switch (publicKey.Oid.Value)
        {
            case SignatureAlgorithms.RsaEncryptionOid:
                using (var rsa = publicKey.GetRSAPublicKey()!)
                {
                    return rsa.KeySize switch
                    {
                        2048 => KeySpec.Rsa2048,
                        3072 => KeySpec.Rsa3072,
                        4096 => KeySpec.Rsa4096,
                        < 2048 => throw PkiException.BadCsr($"RSA key of {rsa.KeySize} bits is below the safe minimum of 2048"),
                        _ => throw PkiException.BadCsr($"RSA key of {rsa.KeySize} bits is not supported; use 2048, 3072 or 4096"),
                    };
                }

            case SignatureAlgorithms.EcPublicKeyOid:
                var curve = new AsnReader(publicKey.EncodedParameters?.RawData ?? [0x05, 0x00], AsnEncodingRules.DER).ReadObjectIdentifier();
                return curve switch
                {
                    "1.2.840.10045.3.1.7" => KeySpec.EcP256,
                    "1.3.132.0.34" => KeySpec.EcP384,
                    _ => throw PkiException.BadCsr($"elliptic curve {curve} is not supported; use P-256 or P-384"),
                };
            case SignatureAlgorithms.Ed25519Oid:
                return KeySpec.Ed25519;
            default:
                throw PkiException.BadCsr($"public key algorithm {publicKey.Oid.Value} is not supported; use RSA, ECDSA P-256/P-384 or Ed25519");
        }
    }

    public static PublicKey Load(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        try
        {
            return PublicKey.CreateFromSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        }
        catch (CryptographicException ex)
        {
            throw PkiException.BadCsr("the public key is not a valid SubjectPublicKeyInfo: " + ex.Message);
        }
    }

    /// <summary>Verifies an X.509-encoded signature (DER for ECDSA) over <paramref name="data"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> subjectPublicKeyInfo, SignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        // P-256 (most CSRs) without .NET's per-key import cost, when OpenSSL can decide; the same answer either way.
        if (NativeP256Verifier.TryVerify(subjectPublicKeyInfo, algorithm, data, signature, out var valid))
        {
            return valid;
        }

        var publicKey = Load(subjectPublicKeyInfo);
        return Verify(publicKey, algorithm, data, signature);
    }

    public static bool Verify(PublicKey publicKey, SignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        switch (publicKey.Oid.Value)
        {
            case SignatureAlgorithms.RsaEncryptionOid when algorithm.ToString().StartsWith("Rsa", StringComparison.Ordinal):
                using (var rsa = publicKey.GetRSAPublicKey()!)
                {
                    var padding = SignatureAlgorithms.IsPss(algorithm) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
                    return rsa.VerifyData(data, signature, SignatureAlgorithms.Hash(algorithm), padding);
                }

            case SignatureAlgorithms.EcPublicKeyOid when algorithm.ToString().StartsWith("Ecdsa", StringComparison.Ordinal):
                using (var ecdsa = publicKey.GetECDsaPublicKey()!)
                {
                    return ecdsa.VerifyData(data, signature, SignatureAlgorithms.Hash(algorithm), DSASignatureFormat.Rfc3279DerSequence);
                }

            case SignatureAlgorithms.Ed25519Oid when algorithm == SignatureAlgorithm.Ed25519:
                var key = publicKey.EncodedKeyValue.RawData;
                if (key.Length != Ed25519PublicKeyParameters.KeySize || signature.Length != Ed25519.SignatureSize)
                {
                    return false;
                }

                var verifier = new Ed25519Signer();
                verifier.Init(false, new Ed25519PublicKeyParameters(key));
                verifier.BlockUpdate(data);
                return verifier.VerifySignature(signature.ToArray());
            default:
                return false;
        }
    }

    private static class Ed25519
    {
        public const int SignatureSize = 64;
    }
}
