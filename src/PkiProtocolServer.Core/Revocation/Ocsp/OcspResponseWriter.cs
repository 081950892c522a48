using System.Formats.Asn1;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>One answer inside a response: a CertID echoed, its status and validity.</summary>
public sealed record OcspSingleResponse
{
    public required OcspCertId CertId { get; init; }

    public required OcspCertStatus Status { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public RevocationReason Reason { get; init; }

    public required DateTimeOffset ThisUpdate { get; init; }

    public required DateTimeOffset NextUpdate { get; init; }
}

/// <summary>Encodes OCSPResponse structures (RFC 6960 4.2.1) and signs BasicOCSPResponse through the signer seam.</summary>
public static class OcspResponseWriter
{
    public const string BasicResponseOid = "1.3.6.1.5.5.7.48.1.1";

    /// <summary>An OCSPResponse with no responseBytes: malformedRequest, internalError, tryLater, sigRequired, unauthorized.</summary>
    public static byte[] Error(OcspResponseStatus status)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEnumeratedValue(status);
        }

        return writer.Encode();
    }

    /// <summary>
    /// Signs a successful response. ResponderID is byKey (RFC 5019 2.2.3): the SHA-1 of the signer's public key,
    /// which relying parties match against the responder certificate included in <c>certs</c> (delegated) or the issuer.
    /// </summary>
    public static async ValueTask<byte[]> SignAsync(
        IReadOnlyList<OcspSingleResponse> responses,
        DateTimeOffset producedAt,
        byte[]? nonceExtensionValue,
        ISigner signer,
        SignatureAlgorithm algorithm,
        byte[] responderKeyHash,
        byte[]? responderCertificateDer,
        CancellationToken cancellationToken)
    {
        var tbs = WriteResponseData(responses, producedAt, nonceExtensionValue, responderKeyHash);
        var signature = await signer.SignAsync(tbs, algorithm, cancellationToken).ConfigureAwait(false);

        var basic = new AsnWriter(AsnEncodingRules.DER, tbs.Length + signature.Length + (responderCertificateDer?.Length ?? 0) + 64);
        using (basic.PushSequence())
        {
            basic.WriteEncodedValue(tbs);
            basic.WriteEncodedValue(SignatureAlgorithms.AlgorithmIdentifier(algorithm));
            basic.WriteBitString(signature);
            if (responderCertificateDer is not null)
            {
                using (basic.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                using (basic.PushSequence())
                {
                    basic.WriteEncodedValue(responderCertificateDer);
                }
            }
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEnumeratedValue(OcspResponseStatus.Successful);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(BasicResponseOid);
                writer.WriteOctetString(basic.Encode());
            }
        }

        return writer.Encode();
    }

    private static byte[] WriteResponseData(IReadOnlyList<OcspSingleResponse> responses, DateTimeOffset producedAt, byte[]? nonce, byte[] responderKeyHash)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            // version v1 is the DEFAULT and so is not encoded.
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2))) // ResponderID byKey, explicitly tagged
            {
                writer.WriteOctetString(responderKeyHash);
            }

            WriteGeneralizedTime(writer, producedAt);
            using (writer.PushSequence())
            {
                foreach (var response in responses)
                {
                    WriteSingle(writer, response);
                }
            }

            if (nonce is not null)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                using (writer.PushSequence())
                {
                    writer.WriteEncodedValue(CrlExtensions.Extension(OcspRequest.NonceOid, critical: false, nonce));
                }
            }
        }

        return writer.Encode();
    }

    private static void WriteSingle(AsnWriter writer, OcspSingleResponse response)
    {
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(response.CertId.Der);
            switch (response.Status)
            {
                case OcspCertStatus.Good:
                    writer.WriteNull(new Asn1Tag(TagClass.ContextSpecific, 0));
                    break;
                case OcspCertStatus.Revoked:
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1))) // RevokedInfo, implicitly tagged
                    {
                        WriteGeneralizedTime(writer, response.RevokedAt ?? response.ThisUpdate);
                        if (response.Reason != RevocationReason.Unspecified)
                        {
                            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                            {
                                writer.WriteEnumeratedValue(response.Reason);
                            }
                        }
                    }

                    break;
                default:
                    writer.WriteNull(new Asn1Tag(TagClass.ContextSpecific, 2));
                    break;
            }

            WriteGeneralizedTime(writer, response.ThisUpdate);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                WriteGeneralizedTime(writer, response.NextUpdate);
            }
        }
    }

    // RFC 5019 2.2.4 / RFC 6960 4.2.2.1: GeneralizedTime in Zulu without fractions.
    private static void WriteGeneralizedTime(AsnWriter writer, DateTimeOffset time) =>
        writer.WriteGeneralizedTime(CrlExtensions.TruncateToSeconds(time), omitFractionalSeconds: true);
}
