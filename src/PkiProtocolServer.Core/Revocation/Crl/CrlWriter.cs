using System.Formats.Asn1;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Revocation.Crl;

/// <summary>
/// Writes a TBSCertList (RFC 5280 5.1) entry by entry, so a CRL of a million revocations is streamed from
/// the store into one buffer rather than held as objects. Written by hand, as certificates are, because
/// the signature comes from the async signer seam (.NET's CertificateRevocationListBuilder signs synchronously).
/// </summary>
public sealed class CrlWriter
{
    private readonly CrlTemplate _template;
    private readonly AsnWriter _writer;

    public CrlWriter(CrlTemplate template, SignatureAlgorithm algorithm, int expectedEntries = 0)
    {
        if (template.NextUpdate <= template.ThisUpdate)
        {
            throw new ArgumentException("a CRL's nextUpdate must be after its thisUpdate", nameof(template));
        }

        _template = template;
        _writer = new AsnWriter(AsnEncodingRules.DER, 512 + (expectedEntries * 48));
        _writer.PushSequence();
        _writer.WriteInteger(1); // v2: required once extensions are present
        _writer.WriteEncodedValue(SignatureAlgorithms.AlgorithmIdentifier(algorithm));
        _writer.WriteEncodedValue(template.IssuerName.Span);
        X509Signing.WriteTime(_writer, template.ThisUpdate);
        X509Signing.WriteTime(_writer, template.NextUpdate);
    }

    public long Count { get; private set; }

    /// <summary>Appends one revokedCertificates entry, with reasonCode (omitted for unspecified, RFC 5280 5.3.1) and invalidityDate.</summary>
    public void Add(RevocationEntry entry)
    {
        if (Count == 0)
        {
            // RFC 5280 5.1.2.6: the list is absent, not empty, when nothing is revoked; it is opened on the first entry.
            _writer.PushSequence();
        }

        Span<byte> serial = stackalloc byte[32];
        if (entry.Serial.Length > 64 || Convert.FromHexString(entry.Serial, serial, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            throw new FormatException($"revocation serial '{entry.Serial}' is not canonical hex");
        }

        using (_writer.PushSequence())
        {
            _writer.WriteIntegerUnsigned(serial[..written]);
            X509Signing.WriteTime(_writer, entry.RevokedAt);
            if (entry.Reason != RevocationReason.Unspecified || entry.InvalidityDate is not null)
            {
                using (_writer.PushSequence())
                {
                    if (entry.Reason != RevocationReason.Unspecified)
                    {
                        _writer.WriteEncodedValue(CrlExtensions.ReasonCode(entry.Reason));
                    }

                    if (entry.InvalidityDate is { } invalidity)
                    {
                        _writer.WriteEncodedValue(CrlExtensions.InvalidityDate(invalidity));
                    }
                }
            }
        }

        Count++;
    }

    /// <summary>Closes the entries, writes the CRL extensions and returns the TBSCertList DER.</summary>
    public byte[] Finish()
    {
        if (Count > 0)
        {
            _writer.PopSequence();
        }

        using (_writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
        using (_writer.PushSequence())
        {
            _writer.WriteEncodedValue(CrlExtensions.AuthorityKeyIdentifier(_template.AuthorityKeyIdentifier));
            _writer.WriteEncodedValue(CrlExtensions.Integer(CrlExtensions.CrlNumberOid, _template.Number, critical: false));
            if (_template.BaseNumber is { } baseNumber)
            {
                _writer.WriteEncodedValue(CrlExtensions.Integer(CrlExtensions.DeltaCrlIndicatorOid, baseNumber, critical: true));
            }

            if (_template.DistributionPointUrls.Count > 0)
            {
                _writer.WriteEncodedValue(CrlExtensions.IssuingDistributionPoint(_template.DistributionPointUrls));
            }

            // RFC 5280 5.2.6: Freshest CRL MUST NOT appear in a delta CRL.
            if (_template.FreshestCrlUrls.Count > 0 && _template.BaseNumber is null)
            {
                _writer.WriteEncodedValue(CrlExtensions.FreshestCrl(_template.FreshestCrlUrls));
            }
        }

        _writer.PopSequence();
        return _writer.Encode();
    }
}
