using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Est.Authentication;

/// <summary>Recognises certificates this server issued: by issuer name, key identifier and, decisively, the signature.</summary>
public static class OwnCertificates
{
    /// <summary>The issuer of the snapshot whose key signed <paramref name="certificate"/>, or null.</summary>
    public static IssuerContext? FindIssuer(IssuerSnapshot snapshot, X509Certificate2 certificate)
    {
        var authorityKeyId = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        foreach (var issuer in snapshot.All)
        {
            if (!issuer.Certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData)
                || (authorityKeyId is { } aki && !aki.Span.SequenceEqual(issuer.KeyIdentifier)))
            {
                continue;
            }

            if (IsSignedBy(certificate.RawData, issuer.SubjectPublicKeyInfo))
            {
                return issuer;
            }
        }

        return null;
    }

    /// <summary>Verifies the signature of a DER certificate (RFC 5280 4.1.1.3) with an issuer's public key.</summary>
    public static bool IsSignedBy(byte[] certificateDer, byte[] issuerSubjectPublicKeyInfo)
    {
        try
        {
            var outer = new AsnReader(certificateDer, AsnEncodingRules.DER).ReadSequence();
            var tbs = outer.ReadEncodedValue();
            var algorithm = SignatureAlgorithms.FromIdentifier(outer.ReadEncodedValue().Span);
            var signature = outer.ReadBitString(out var unused);
            return algorithm is { } known && unused == 0 && PublicKeys.Verify(issuerSubjectPublicKeyInfo, known, tbs.Span, signature);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or Core.Errors.PkiException)
        {
            return false;
        }
    }
}
