using System.Formats.Asn1;
using System.Security.Cryptography;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Keys.Pkcs11;

/// <summary>
/// CKM_RSA_PKCS signs whatever it is given after PKCS#1 v1.5 type-1 padding; the caller supplies the
/// RFC 8017 9.2 DigestInfo. Hashing here rather than using CKM_SHA256_RSA_PKCS sends 50-80 bytes to the
/// HSM instead of the whole TBSCertificate or CRL, which matters for network HSMs.
/// </summary>
internal static class RsaDigestInfo
{
    public static byte[] Encode(HashAlgorithmName hash, byte[] digest)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(HashOid(hash));
                writer.WriteNull();
            }

            writer.WriteOctetString(digest);
        }

        return writer.Encode();
    }

    private static string HashOid(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA256 ? SignatureAlgorithms.Sha256Oid
        : hash == HashAlgorithmName.SHA384 ? SignatureAlgorithms.Sha384Oid
        : hash == HashAlgorithmName.SHA512 ? SignatureAlgorithms.Sha512Oid
        : throw new ArgumentOutOfRangeException(nameof(hash), hash.Name, "no DigestInfo for this hash");
}
