using System.Formats.Asn1;
using System.Security.Cryptography;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>A parsed OCSPRequest (RFC 6960 4.1): the CertIDs asked about and the nonce extension, if any.</summary>
public sealed class OcspRequest
{
    public const string NonceOid = "1.3.6.1.5.5.7.48.1.2";

    /// <summary>More CertIDs than this in one request is refused: RFC 5019 clients send one.</summary>
    public const int MaxCertIds = 16;

    /// <summary>RFC 8954 2.1: a nonce longer than 32 octets is refused.</summary>
    public const int MaxNonceLength = 32;

    private OcspRequest(IReadOnlyList<OcspCertId> certIds, byte[]? nonce)
    {
        CertIds = certIds;
        NonceExtensionValue = nonce;
    }

    public IReadOnlyList<OcspCertId> CertIds { get; }

    /// <summary>The extnValue of the request's nonce extension, echoed verbatim; null when the request has none.</summary>
    public byte[]? NonceExtensionValue { get; }

    /// <summary>Parses a DER OCSPRequest; returns null when it is malformed (the caller answers malformedRequest).</summary>
    public static OcspRequest? TryParse(ReadOnlyMemory<byte> der)
    {
        try
        {
            return Parse(der);
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException or FormatException or ArgumentException or OverflowException or InvalidOperationException)
        {
            return null;
        }
    }

    private static OcspRequest? Parse(ReadOnlyMemory<byte> der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var request = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var tbs = request.ReadSequence();
        // optionalSignature [0] may follow; signed requests are accepted and the signature is not required (RFC 5019 2.1.1).

        if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            var version = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            if (!version.TryReadInt32(out var v) || v != 0)
            {
                return null;
            }

            version.ThrowIfNotEmpty();
        }

        if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
        {
            tbs.ReadEncodedValue(); // requestorName: informational only
        }

        var list = tbs.ReadSequence();
        var certIds = new List<OcspCertId>();
        while (list.HasData)
        {
            var single = list.ReadSequence();
            certIds.Add(ReadCertId(single.ReadEncodedValue()));
            if (single.HasData)
            {
                single.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)); // singleRequestExtensions: none are supported, all are ignorable
            }

            single.ThrowIfNotEmpty();
        }

        if (certIds.Count is 0 or > MaxCertIds)
        {
            return null;
        }

        byte[]? nonce = null;
        if (tbs.HasData)
        {
            var extensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 2)).ReadSequence();
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                var oid = extension.ReadObjectIdentifier();
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    extension.ReadBoolean();
                }

                var value = extension.ReadOctetString();
                extension.ThrowIfNotEmpty();
                if (oid == NonceOid)
                {
                    if (nonce is not null || !NonceLengthAcceptable(value))
                    {
                        return null;
                    }

                    nonce = value;
                }
            }
        }

        tbs.ThrowIfNotEmpty();
        return new OcspRequest(certIds, nonce);
    }

    internal static OcspCertId ReadCertId(ReadOnlyMemory<byte> der)
    {
        var certId = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var algorithm = certId.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        if (algorithm.HasData)
        {
            algorithm.ReadNull();
        }

        algorithm.ThrowIfNotEmpty();
        var nameHash = certId.ReadOctetString();
        var keyHash = certId.ReadOctetString();
        var serial = certId.ReadIntegerBytes();
        certId.ThrowIfNotEmpty();
        if (serial.Length is 0 or > 21 || (serial.Span[0] & 0x80) != 0)
        {
            throw new FormatException("the serial number is not a positive integer of at most 20 octets");
        }

        return new OcspCertId(oid, nameHash, keyHash, SerialNumbers.ToHex(serial.Span), der.ToArray());
    }

    // RFC 8954: the value is an OCTET STRING of 1..32 octets; older clients (openssl) wrap it in a second OCTET STRING.
    private static bool NonceLengthAcceptable(byte[] value)
    {
        var length = value.Length;
        if (value.Length >= 2 && value[0] == 0x04 && value[1] == value.Length - 2)
        {
            length = value.Length - 2;
        }

        return length is >= 1 and <= MaxNonceLength;
    }
}
