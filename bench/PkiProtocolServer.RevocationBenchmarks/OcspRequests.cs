using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PkiProtocolServer.Benchmarks;

/// <summary>Writes RFC 6960 OCSP requests as RFC 5019 clients send them: one SHA-1 CertID, no nonce, unsigned.</summary>
internal static class OcspRequests
{
    public static byte[] For(X509Certificate2 issuer, ReadOnlySpan<byte> serial)
    {
        var spki = new AsnReader(issuer.PublicKey.ExportSubjectPublicKeyInfo(), AsnEncodingRules.DER).ReadSequence();
        spki.ReadEncodedValue();
        var key = spki.ReadBitString(out _);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence()) // OCSPRequest
        using (writer.PushSequence()) // TBSRequest
        using (writer.PushSequence()) // requestList
        using (writer.PushSequence()) // Request
        using (writer.PushSequence()) // CertID
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.3.14.3.2.26");
                writer.WriteNull();
            }

#pragma warning disable CA5350 // the CertID hash RFC 5019 clients use; it protects nothing
            writer.WriteOctetString(SHA1.HashData(issuer.SubjectName.RawData));
            writer.WriteOctetString(SHA1.HashData(key));
#pragma warning restore CA5350
            writer.WriteIntegerUnsigned(serial);
        }

        return writer.Encode();
    }

    /// <summary>True for a successful OCSPResponse (responseStatus 0), read without a full parse (the load generator must stay cheap).</summary>
    public static bool IsSuccessful(ReadOnlySpan<byte> response) =>
        response.Length > 16 && response[0] == 0x30 && response[1..8].IndexOf("\x0a\x01\x00"u8) >= 0;
}
