using System.Formats.Asn1;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Revocation.Crl;

/// <summary>OIDs and encodings of the CRL and CRL entry extensions of RFC 5280 5.2 and 5.3.</summary>
public static class CrlExtensions
{
    public const string AuthorityKeyIdentifierOid = "2.5.29.35";
    public const string CrlNumberOid = "2.5.29.20";
    public const string DeltaCrlIndicatorOid = "2.5.29.27";
    public const string IssuingDistributionPointOid = "2.5.29.28";
    public const string FreshestCrlOid = "2.5.29.46";
    public const string ReasonCodeOid = "2.5.29.21";
    public const string InvalidityDateOid = "2.5.29.24";

    // Each reason's whole Extension, encoded once: a million-entry CRL must not re-encode an OID per entry.
    private static readonly Dictionary<RevocationReason, byte[]> ReasonExtensions =
        Enum.GetValues<RevocationReason>().ToDictionary(r => r, EncodeReason);

    /// <summary>The DER Extension carrying <paramref name="reason"/>.</summary>
    public static ReadOnlySpan<byte> ReasonCode(RevocationReason reason) => ReasonExtensions[reason];

    public static byte[] InvalidityDate(DateTimeOffset time)
    {
        var value = new AsnWriter(AsnEncodingRules.DER);
        value.WriteGeneralizedTime(TruncateToSeconds(time), omitFractionalSeconds: true);
        return Extension(InvalidityDateOid, critical: false, value.Encode());
    }

    public static byte[] Integer(string oid, long value, bool critical)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteInteger(value);
        return Extension(oid, critical, writer.Encode());
    }

    /// <summary>IssuingDistributionPoint with a distributionPoint fullName of URIs; critical, as RFC 5280 5.2.5 requires.</summary>
    public static byte[] IssuingDistributionPoint(IReadOnlyList<string> urls)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0))) // distributionPoint
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0))) // fullName
        {
            foreach (var url in urls)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, url, new Asn1Tag(TagClass.ContextSpecific, 6));
            }
        }

        return Extension(IssuingDistributionPointOid, critical: true, writer.Encode());
    }

    /// <summary>Freshest CRL: the CRLDistributionPoints syntax naming where the delta CRL is.</summary>
    public static byte[] FreshestCrl(IReadOnlyList<string> urls) =>
        Extension(FreshestCrlOid, critical: false, Extensions.CrlDistributionPoints(urls).RawData);

    public static byte[] AuthorityKeyIdentifier(byte[] keyIdentifier) =>
        Extension(AuthorityKeyIdentifierOid, critical: false, Extensions.AuthorityKeyIdentifier(keyIdentifier).RawData);

    /// <summary>Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING }.</summary>
    public static byte[] Extension(string oid, bool critical, ReadOnlySpan<byte> value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (critical)
            {
                writer.WriteBoolean(true);
            }

            writer.WriteOctetString(value);
        }

        return writer.Encode();
    }

    internal static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.UtcDateTime.Ticks - (time.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static byte[] EncodeReason(RevocationReason reason)
    {
        var value = new AsnWriter(AsnEncodingRules.DER);
        value.WriteEnumeratedValue(reason);
        return Extension(ReasonCodeOid, critical: false, value.Encode());
    }
}
