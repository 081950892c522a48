using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;

namespace PkiProtocolServer.Est.Wire;

/// <summary>
/// The certs-only CMS message of RFC 7030 4.1.3 and 4.2.3: a degenerate SignedData (RFC 5652 5.1) with no signers and
/// no content, carrying certificates only. Written with BouncyCastle (.NET's SignedCms will not encode without a signer).
/// </summary>
public static class CertsOnly
{
    public static byte[] Encode(IEnumerable<byte[]> certificates)
    {
        var parser = new X509CertificateParser();
        var list = certificates.Select(der => parser.ReadCertificate(der)).ToList();
        var generator = new CmsSignedDataGenerator();
        generator.AddCertificates(CollectionUtilities.CreateStore(list));
        // DER, not the BER with indefinite lengths the generator writes by default: one encoding per message, as certificates have.
        return generator.Generate(new CmsAbsentContent(), encapsulate: false).GetEncoded(Org.BouncyCastle.Asn1.Asn1Encodable.Der);
    }

    /// <summary>The DER certificates of a certs-only message, in the order they are stored.</summary>
    public static IReadOnlyList<byte[]> Decode(byte[] cms) =>
        new CmsSignedData(cms).GetCertificates().EnumerateMatches(null).Select(c => c.GetEncoded()).ToList();
}
