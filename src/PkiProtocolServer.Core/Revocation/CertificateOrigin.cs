using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Core.Revocation;

/// <summary>Establishes that a certificate someone hands in was signed by one of our issuers: its issuer name matches and the issuer's key verifies its signature.</summary>
public static class CertificateOrigin
{
    public static X509Certificate2 Parse(byte[] der)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException ex)
        {
            throw PkiException.Malformed("the certificate cannot be parsed: " + ex.Message);
        }
    }

    /// <summary>The issuer that signed <paramref name="certificateDer"/>, among <paramref name="candidates"/>; Malformed when none did.</summary>
    public static IssuerContext SignerOf(byte[] certificateDer, X509Certificate2 certificate, IEnumerable<IssuerContext> candidates)
    {
        var reader = new AsnReader(certificateDer, AsnEncodingRules.DER).ReadSequence();
        var tbs = reader.ReadEncodedValue();
        var algorithmId = reader.ReadEncodedValue();
        var signature = reader.ReadBitString(out _);
        var algorithm = SignatureAlgorithms.FromIdentifier(algorithmId.Span)
            ?? throw PkiException.Malformed("the certificate's signature algorithm is not one this server signs with");

        foreach (var issuer in candidates.OrderByDescending(i => i.Key is not null))
        {
            if (issuer.Certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData)
                && PublicKeys.Verify(issuer.SubjectPublicKeyInfo, algorithm, tbs.Span, signature))
            {
                return issuer;
            }
        }

        throw PkiException.Malformed($"the certificate (issuer '{certificate.Issuer}') was not signed by an issuer of this server");
    }
}
