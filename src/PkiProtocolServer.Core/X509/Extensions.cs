using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.X509;

/// <summary>Builders for the extensions .NET has no type for (CDP, certificate policies, name constraints), and key identifiers.</summary>
public static class Extensions
{
    public const string CrlDistributionPointsOid = "2.5.29.31";
    public const string CertificatePoliciesOid = "2.5.29.32";
    public const string NameConstraintsOid = "2.5.29.30";
    public const string SubjectKeyIdentifierOid = "2.5.29.14";

    /// <summary>RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING contents (an identifier, not a signature).</summary>
    public static byte[] KeyIdentifier(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        var spki = new AsnReader(subjectPublicKeyInfo.ToArray(), AsnEncodingRules.DER).ReadSequence();
        spki.ReadEncodedValue();
        var key = spki.ReadBitString(out _);
#pragma warning disable CA5350 // SHA-1 is what RFC 5280 names for key identifiers; no security depends on it.
        return SHA1.HashData(key);
#pragma warning restore CA5350
    }

    public static X509Extension SubjectKeyIdentifier(ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        new X509SubjectKeyIdentifierExtension(KeyIdentifier(subjectPublicKeyInfo), critical: false);

    public static X509Extension AuthorityKeyIdentifier(byte[] issuerKeyIdentifier) =>
        X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuerKeyIdentifier);

    public static X509Extension CrlDistributionPoints(IReadOnlyList<string> urls)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var url in urls)
            {
                using (writer.PushSequence()) // DistributionPoint
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0))) // distributionPoint
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0))) // fullName
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, url, new Asn1Tag(TagClass.ContextSpecific, 6));
                }
            }
        }

        return new X509Extension(CrlDistributionPointsOid, writer.Encode(), critical: false);
    }

    public static X509Extension CertificatePolicies(IReadOnlyList<string> policyOids)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var oid in policyOids)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                }
            }
        }

        return new X509Extension(CertificatePoliciesOid, writer.Encode(), critical: false);
    }

    /// <summary>Name constraints with permitted dNSName subtrees (RFC 5280 4.2.1.10); critical, as the RFC requires.</summary>
    public static X509Extension PermittedDnsDomains(IReadOnlyList<string> domains)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0))) // permittedSubtrees
        {
            foreach (var domain in domains)
            {
                using (writer.PushSequence()) // GeneralSubtree
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, domain, new Asn1Tag(TagClass.ContextSpecific, 2));
                }
            }
        }

        return new X509Extension(NameConstraintsOid, writer.Encode(), critical: true);
    }

    public static X509Extension SubjectAlternativeName(SubjectNames names, bool critical) =>
        new(GeneralNames.SubjectAltNameOid, GeneralNames.Write(names), critical);

    public static void EnsureOid(string oid, string what)
    {
        try
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            writer.WriteObjectIdentifier(oid);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or CryptographicException)
        {
            throw PkiException.Malformed($"{what} '{oid}' is not a valid object identifier");
        }
    }
}
