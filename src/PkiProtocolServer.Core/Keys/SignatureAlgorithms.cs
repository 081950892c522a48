using System.Formats.Asn1;
using System.Security.Cryptography;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Keys;

/// <summary>OIDs, AlgorithmIdentifier encodings and digests of the supported signature algorithms.</summary>
public static class SignatureAlgorithms
{
    public const string Sha256Oid = "2.16.840.1.101.3.4.2.1";
    public const string Sha384Oid = "2.16.840.1.101.3.4.2.2";
    public const string Sha512Oid = "2.16.840.1.101.3.4.2.3";
    public const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    public const string RsaPssOid = "1.2.840.113549.1.1.10";
    public const string EcPublicKeyOid = "1.2.840.10045.2.1";
    public const string Ed25519Oid = "1.3.101.112";
    public const string Mgf1Oid = "1.2.840.113549.1.1.8";

    private static readonly Dictionary<SignatureAlgorithm, byte[]> Identifiers =
        Enum.GetValues<SignatureAlgorithm>().ToDictionary(a => a, Encode);

    /// <summary>The DER AlgorithmIdentifier (RFC 5280 4.1.1.2) that goes into certificates, CRLs and CSRs.</summary>
    public static ReadOnlySpan<byte> AlgorithmIdentifier(SignatureAlgorithm algorithm) => Identifiers[algorithm];

    public static HashAlgorithmName Hash(SignatureAlgorithm algorithm) => algorithm switch
    {
        SignatureAlgorithm.EcdsaSha256 or SignatureAlgorithm.RsaPkcs1Sha256 or SignatureAlgorithm.RsaPssSha256 => HashAlgorithmName.SHA256,
        SignatureAlgorithm.EcdsaSha384 or SignatureAlgorithm.RsaPkcs1Sha384 or SignatureAlgorithm.RsaPssSha384 => HashAlgorithmName.SHA384,
        SignatureAlgorithm.EcdsaSha512 or SignatureAlgorithm.RsaPkcs1Sha512 or SignatureAlgorithm.RsaPssSha512 => HashAlgorithmName.SHA512,
        _ => default,
    };

    public static bool IsPss(SignatureAlgorithm algorithm) =>
        algorithm is SignatureAlgorithm.RsaPssSha256 or SignatureAlgorithm.RsaPssSha384 or SignatureAlgorithm.RsaPssSha512;

    /// <summary>True when <paramref name="algorithm"/> can be made with a key of <paramref name="spec"/>.</summary>
    public static bool Fits(SignatureAlgorithm algorithm, KeySpec spec) => spec.Algorithm switch
    {
        KeyAlgorithm.Rsa => algorithm.ToString().StartsWith("Rsa", StringComparison.Ordinal),
        KeyAlgorithm.Ec => algorithm.ToString().StartsWith("Ecdsa", StringComparison.Ordinal),
        _ => algorithm == SignatureAlgorithm.Ed25519,
    };

    /// <summary>Throws a clear error when a signer is asked for an algorithm its key cannot make.</summary>
    public static void EnsureFits(SignatureAlgorithm algorithm, KeySpec spec)
    {
        if (!Fits(algorithm, spec))
        {
            throw PkiException.Malformed($"signature algorithm {algorithm} cannot be made with a {spec} key");
        }
    }

    /// <summary>Hashes <paramref name="data"/> with the digest of <paramref name="algorithm"/>.</summary>
    public static byte[] Digest(SignatureAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        var hash = Hash(algorithm);
        if (hash == HashAlgorithmName.SHA256)
        {
            return SHA256.HashData(data);
        }

        if (hash == HashAlgorithmName.SHA384)
        {
            return SHA384.HashData(data);
        }

        if (hash == HashAlgorithmName.SHA512)
        {
            return SHA512.HashData(data);
        }

        throw new InvalidOperationException($"{algorithm} signs the message itself, not a digest");
    }

    /// <summary>Maps an AlgorithmIdentifier found in a CSR or certificate back to the enum; null when not allowed (SHA-1, MD5, unknown).</summary>
    public static SignatureAlgorithm? FromIdentifier(ReadOnlySpan<byte> algorithmIdentifierDer)
    {
        foreach (var (algorithm, der) in Identifiers)
        {
            if (algorithmIdentifierDer.SequenceEqual(der))
            {
                return algorithm;
            }
        }

        // Tolerate the absent-vs-NULL parameter variants some encoders emit for RSA PKCS#1 and ECDSA.
        var reader = new AsnReader(algorithmIdentifierDer.ToArray(), AsnEncodingRules.DER).ReadSequence();
        var oid = reader.ReadObjectIdentifier();
        return oid switch
        {
            "1.2.840.113549.1.1.11" => SignatureAlgorithm.RsaPkcs1Sha256,
            "1.2.840.113549.1.1.12" => SignatureAlgorithm.RsaPkcs1Sha384,
            "1.2.840.113549.1.1.13" => SignatureAlgorithm.RsaPkcs1Sha512,
            "1.2.840.10045.4.3.2" => SignatureAlgorithm.EcdsaSha256,
            "1.2.840.10045.4.3.3" => SignatureAlgorithm.EcdsaSha384,
            "1.2.840.10045.4.3.4" => SignatureAlgorithm.EcdsaSha512,
            RsaPssOid => PssFromParameters(reader),
            Ed25519Oid => SignatureAlgorithm.Ed25519,
            _ => null,
        };
    }

    private static SignatureAlgorithm? PssFromParameters(AsnReader reader)
    {
        if (!reader.HasData)
        {
            return null; // PSS defaults to SHA-1: refused.
        }

        var parameters = reader.ReadSequence();
        if (!parameters.HasData || !parameters.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            return null;
        }

        var hashAlg = parameters.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence().ReadObjectIdentifier();
        return hashAlg switch
        {
            Sha256Oid => SignatureAlgorithm.RsaPssSha256,
            Sha384Oid => SignatureAlgorithm.RsaPssSha384,
            Sha512Oid => SignatureAlgorithm.RsaPssSha512,
            _ => null,
        };
    }

    private static byte[] Encode(SignatureAlgorithm algorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            switch (algorithm)
            {
                case SignatureAlgorithm.EcdsaSha256: writer.WriteObjectIdentifier("1.2.840.10045.4.3.2"); break;
                case SignatureAlgorithm.EcdsaSha384: writer.WriteObjectIdentifier("1.2.840.10045.4.3.3"); break;
                case SignatureAlgorithm.EcdsaSha512: writer.WriteObjectIdentifier("1.2.840.10045.4.3.4"); break;
                case SignatureAlgorithm.RsaPkcs1Sha256: writer.WriteObjectIdentifier("1.2.840.113549.1.1.11"); writer.WriteNull(); break;
                case SignatureAlgorithm.RsaPkcs1Sha384: writer.WriteObjectIdentifier("1.2.840.113549.1.1.12"); writer.WriteNull(); break;
                case SignatureAlgorithm.RsaPkcs1Sha512: writer.WriteObjectIdentifier("1.2.840.113549.1.1.13"); writer.WriteNull(); break;
                case SignatureAlgorithm.Ed25519: writer.WriteObjectIdentifier(Ed25519Oid); break;
                default: WritePss(writer, algorithm); break;
            }
        }

        return writer.Encode();
    }

    // RFC 4055 RSASSA-PSS-params: hash, MGF1 with the same hash, salt length = hash length, trailer 1.
    private static void WritePss(AsnWriter writer, SignatureAlgorithm algorithm)
    {
        var (hashOid, saltLength) = algorithm switch
        {
            SignatureAlgorithm.RsaPssSha256 => (Sha256Oid, 32),
            SignatureAlgorithm.RsaPssSha384 => (Sha384Oid, 48),
            _ => (Sha512Oid, 64),
        };
        writer.WriteObjectIdentifier(RsaPssOid);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(hashOid);
                writer.WriteNull();
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Mgf1Oid);
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(hashOid);
                    writer.WriteNull();
                }
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2)))
            {
                writer.WriteInteger(saltLength);
            }
        }
    }
}
