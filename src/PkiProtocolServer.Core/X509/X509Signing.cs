using System.Formats.Asn1;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Core.X509;

/// <summary>
/// Writes to-be-signed structures and wraps them with a signature from the signer seam. Written by hand
/// (rather than through <c>CertificateRequest.Create</c>) because the seam is async and the key may be remote.
/// </summary>
public static class X509Signing
{
    public static async ValueTask<byte[]> SignCertificateAsync(CertificateTemplate template, ISigner signer, SignatureAlgorithm algorithm, CancellationToken cancellationToken)
    {
        var tbs = WriteTbsCertificate(template, algorithm);
        return await SignAsync(tbs, signer, algorithm, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs <paramref name="toBeSigned"/> and returns SEQUENCE { toBeSigned, algorithm, BIT STRING signature }.</summary>
    public static async ValueTask<byte[]> SignAsync(byte[] toBeSigned, ISigner signer, SignatureAlgorithm algorithm, CancellationToken cancellationToken)
    {
        var signature = await signer.SignAsync(toBeSigned, algorithm, cancellationToken).ConfigureAwait(false);
        var writer = new AsnWriter(AsnEncodingRules.DER, toBeSigned.Length + signature.Length + 32);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(toBeSigned);
            writer.WriteEncodedValue(SignatureAlgorithms.AlgorithmIdentifier(algorithm));
            writer.WriteBitString(signature);
        }

        return writer.Encode();
    }

    public static byte[] WriteTbsCertificate(CertificateTemplate template, SignatureAlgorithm algorithm)
    {
        if (template.NotAfter <= template.NotBefore)
        {
            throw PkiException.Malformed("the certificate's NotAfter is not after its NotBefore");
        }

        var writer = new AsnWriter(AsnEncodingRules.DER, 1024);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                writer.WriteInteger(2); // v3
            }

            writer.WriteIntegerUnsigned(TrimLeadingZero(template.SerialNumber));
            writer.WriteEncodedValue(SignatureAlgorithms.AlgorithmIdentifier(algorithm));
            writer.WriteEncodedValue(template.IssuerName.Span);
            using (writer.PushSequence())
            {
                WriteTime(writer, template.NotBefore);
                WriteTime(writer, template.NotAfter);
            }

            writer.WriteEncodedValue(template.Subject.RawData);
            writer.WriteEncodedValue(template.SubjectPublicKeyInfo.Span);
            if (template.Extensions.Count > 0)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3)))
                using (writer.PushSequence())
                {
                    foreach (var extension in template.Extensions)
                    {
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier(extension.Oid!.Value!);
                            if (extension.Critical)
                            {
                                writer.WriteBoolean(true);
                            }

                            writer.WriteOctetString(extension.RawData);
                        }
                    }
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>CertificationRequestInfo (RFC 2986) with an optional extensionRequest attribute.</summary>
    public static byte[] WriteCertificationRequestInfo(System.Security.Cryptography.X509Certificates.X500DistinguishedName subject, ReadOnlySpan<byte> subjectPublicKeyInfo, IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Extension> extensions)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            writer.WriteEncodedValue(subject.RawData);
            writer.WriteEncodedValue(subjectPublicKeyInfo);
            using (writer.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                if (extensions.Count > 0)
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier("1.2.840.113549.1.9.14");
                        using (writer.PushSetOf())
                        using (writer.PushSequence())
                        {
                            foreach (var extension in extensions)
                            {
                                using (writer.PushSequence())
                                {
                                    writer.WriteObjectIdentifier(extension.Oid!.Value!);
                                    if (extension.Critical)
                                    {
                                        writer.WriteBoolean(true);
                                    }

                                    writer.WriteOctetString(extension.RawData);
                                }
                            }
                        }
                    }
                }
            }
        }

        return writer.Encode();
    }

    // RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, Zulu.
    internal static void WriteTime(AsnWriter writer, DateTimeOffset time)
    {
        var utc = new DateTimeOffset(time.UtcDateTime.Ticks - (time.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        if (utc.Year < 2050)
        {
            writer.WriteUtcTime(utc);
        }
        else
        {
            writer.WriteGeneralizedTime(utc, omitFractionalSeconds: true);
        }
    }

    private static ReadOnlySpan<byte> TrimLeadingZero(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }
}
