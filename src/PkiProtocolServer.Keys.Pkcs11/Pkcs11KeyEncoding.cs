using System.Formats.Asn1;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Keys.Pkcs11;

/// <summary>
/// Translates between PKCS#11 key attributes (CKA_EC_PARAMS, CKA_EC_POINT, CKA_MODULUS, ...) and the DER
/// SubjectPublicKeyInfo that certificates carry.
/// </summary>
internal static class Pkcs11KeyEncoding
{
    public const string P256Oid = "1.2.840.10045.3.1.7";
    public const string P384Oid = "1.3.132.0.34";

    /// <summary>
    /// CKA_EC_PARAMS for generating an Ed25519 key: the RFC 8410 OID 1.3.101.112. SoftHSM 2.6.1 accepts both
    /// this and the PKCS#11 3.0 printable string "edwards25519" (what pkcs11-tool sends); the OID is the
    /// form PKCS#11 3.1 prefers. Readers below accept either.
    /// </summary>
    public static byte[] Ed25519GenerationParameters()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(SignatureAlgorithms.Ed25519Oid);
        return writer.Encode();
    }

    /// <summary>CKA_EC_PARAMS for a NIST curve: the DER namedCurve OID.</summary>
    public static byte[] NamedCurveParameters(KeySpec spec)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(spec.Bits == 384 ? P384Oid : P256Oid);
        return writer.Encode();
    }

    /// <summary>RFC 8017 / RFC 3279 RSA SubjectPublicKeyInfo from the big-endian modulus and public exponent.</summary>
    public static byte[] RsaSubjectPublicKeyInfo(byte[] modulus, byte[] exponent)
    {
        var key = new AsnWriter(AsnEncodingRules.DER);
        using (key.PushSequence())
        {
            key.WriteIntegerUnsigned(modulus);
            key.WriteIntegerUnsigned(exponent);
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(SignatureAlgorithms.RsaEncryptionOid);
                writer.WriteNull();
            }

            writer.WriteBitString(key.Encode());
        }

        return writer.Encode();
    }

    /// <summary>RFC 5480 EC SubjectPublicKeyInfo from CKA_EC_PARAMS (a named-curve OID) and CKA_EC_POINT.</summary>
    public static byte[] EcSubjectPublicKeyInfo(byte[] ecParams, byte[] ecPoint)
    {
        var curve = ReadNamedCurve(ecParams);
        var fieldBytes = curve switch
        {
            P256Oid => 32,
            P384Oid => 48,
            _ => throw PkiException.Malformed($"elliptic curve {curve} is not supported; use P-256 or P-384"),
        };
        var point = UnwrapPoint(ecPoint, 1 + (2 * fieldBytes));
        if (point[0] != 0x04)
        {
            throw PkiException.Malformed("the EC public key is not an uncompressed point");
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(SignatureAlgorithms.EcPublicKeyOid);
                writer.WriteObjectIdentifier(curve);
            }

            writer.WriteBitString(point);
        }

        return writer.Encode();
    }

    /// <summary>RFC 8410 Ed25519 SubjectPublicKeyInfo from CKA_EC_PARAMS and CKA_EC_POINT.</summary>
    public static byte[] Ed25519SubjectPublicKeyInfo(byte[] ecParams, byte[] ecPoint)
    {
        if (!IsEd25519Parameters(ecParams))
        {
            throw PkiException.Malformed("the Edwards-curve key is not Ed25519 (Ed448 is not supported)");
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(SignatureAlgorithms.Ed25519Oid);
            }

            writer.WriteBitString(UnwrapPoint(ecPoint, 32));
        }

        return writer.Encode();
    }

    /// <summary>True for the PKCS#11 3.0 spellings of Ed25519 parameters: the curve name or the OID.</summary>
    public static bool IsEd25519Parameters(byte[] ecParams)
    {
        try
        {
            var reader = new AsnReader(ecParams, AsnEncodingRules.DER);
            var tag = reader.PeekTag();
            if (tag.HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                return reader.ReadObjectIdentifier() == SignatureAlgorithms.Ed25519Oid;
            }

            if (tag.HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.PrintableString)))
            {
                return reader.ReadCharacterString(UniversalTagNumber.PrintableString) is "edwards25519" or "curve25519";
            }
        }
        catch (AsnContentException)
        {
            // Falls through to "not Ed25519".
        }

        return false;
    }

    private static string ReadNamedCurve(byte[] ecParams)
    {
        try
        {
            return new AsnReader(ecParams, AsnEncodingRules.DER).ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            throw PkiException.Malformed("the EC key's CKA_EC_PARAMS is not a named curve (explicit curve parameters are not supported)");
        }
    }

    /// <summary>
    /// CKA_EC_POINT is specified as a DER OCTET STRING around the point, but some modules return the bare
    /// point; the bare form is recognised by its exact length.
    /// </summary>
    private static byte[] UnwrapPoint(byte[] ecPoint, int pointLength)
    {
        if (ecPoint.Length == pointLength)
        {
            return ecPoint;
        }

        try
        {
            var reader = new AsnReader(ecPoint, AsnEncodingRules.DER);
            var point = reader.ReadOctetString();
            if (!reader.HasData && point.Length == pointLength)
            {
                return point;
            }
        }
        catch (AsnContentException)
        {
            // Reported below.
        }

        throw PkiException.Malformed($"CKA_EC_POINT is neither a {pointLength}-byte point nor a DER OCTET STRING holding one");
    }
}
