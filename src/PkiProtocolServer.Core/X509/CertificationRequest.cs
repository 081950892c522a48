using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Core.X509;

/// <summary>
/// A parsed and signature-checked PKCS#10 request (RFC 2986). Construction fails with
/// <see cref="PkiErrorKind.BadCsr"/> for anything a CA should not sign: bad DER, a signature that does
/// not verify, SHA-1/MD5, or a key below the safe minimums.
/// </summary>
public sealed class CertificationRequest
{
    private const string ExtensionRequestOid = "1.2.840.113549.1.9.14";
    private const string ChallengePasswordOid = "1.2.840.113549.1.9.7";

    private CertificationRequest(byte[] der, X500DistinguishedName subject, byte[] spki, KeySpec keySpec, SubjectNames names, IReadOnlyList<X509Extension> extensions, string? challengePassword, bool signatureVerified)
    {
        SignatureVerified = signatureVerified;
        Der = der;
        Subject = subject;
        SubjectPublicKeyInfo = spki;
        KeySpec = keySpec;
        Names = names;
        RequestedExtensions = extensions;
        ChallengePassword = challengePassword;
        CommonName = DistinguishedNames.CommonName(subject);
    }

    public byte[] Der { get; }

    public X500DistinguishedName Subject { get; }

    public string? CommonName { get; }

    public byte[] SubjectPublicKeyInfo { get; }

    public KeySpec KeySpec { get; }

    /// <summary>SANs from the extensionRequest attribute.</summary>
    public SubjectNames Names { get; }

    public IReadOnlyList<X509Extension> RequestedExtensions { get; }

    /// <summary>The challengePassword attribute (EST channel binding, RFC 7030 3.5), if any.</summary>
    public string? ChallengePassword { get; }

    /// <summary>
    /// OIDs of the request's other attributes (neither extensionRequest nor challengePassword), e.g. the EST
    /// serverkeygen key-encryption attributes of RFC 7030 4.4.1, so a front end can refuse what it cannot honour.
    /// </summary>
    public IReadOnlyList<string> OtherAttributeTypes { get; private init; } = [];

    /// <summary>
    /// False only for a request parsed with <c>verifySignature: false</c>: its signature (and signature algorithm) were
    /// not checked, so it proves nothing about possession of its key.
    /// </summary>
    public bool SignatureVerified { get; }

    /// <summary>Parses PEM, base64 or DER input and verifies the request's self-signature.</summary>
    public static CertificationRequest Parse(ReadOnlySpan<byte> input) => ParseDer(Pem.DecodeOne(input, "CERTIFICATE REQUEST", "the CSR"));

    public static CertificationRequest ParseDer(byte[] der) => ParseDer(der, verifySignature: true);

    /// <summary>
    /// Parses a DER request. With <paramref name="verifySignature"/> false the signature and its algorithm are not
    /// checked; the key must still be of an accepted type. Only for requests whose key is not the one to be certified:
    /// RFC 7030 4.4.1 (EST serverkeygen) says the server MUST ignore the CSR's public key values and signature.
    /// </summary>
    public static CertificationRequest ParseDer(byte[] der, bool verifySignature)
    {
        try
        {
            return ParseCore(der, verifySignature);
        }
        catch (AsnContentException ex)
        {
            throw PkiException.BadCsr("the CSR is not valid DER: " + ex.Message);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw PkiException.BadCsr("the CSR cannot be read: " + ex.Message);
        }
    }

    private static CertificationRequest ParseCore(byte[] der, bool verifySignature)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var request = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var infoDer = request.ReadEncodedValue();
        var algorithmDer = request.ReadEncodedValue();
        var signature = request.ReadBitString(out var unused);
        request.ThrowIfNotEmpty();
        if (unused != 0)
        {
            throw PkiException.BadCsr("the CSR signature BIT STRING has unused bits");
        }

        var algorithm = SignatureAlgorithms.FromIdentifier(algorithmDer.Span);
        if (algorithm is null && verifySignature)
        {
            throw PkiException.BadCsr("the CSR is signed with an algorithm this CA does not accept (SHA-1, MD5 and unknown algorithms are refused)");
        }

        var info = new AsnReader(infoDer, AsnEncodingRules.DER).ReadSequence();
        if (info.ReadInteger() != 0)
        {
            throw PkiException.BadCsr("the CSR version must be v1 (0)");
        }

        var subject = new X500DistinguishedName(info.ReadEncodedValue().Span);
        var spki = info.ReadEncodedValue().ToArray();
        var keySpec = PublicKeys.Describe(spki);
        if (verifySignature && !PublicKeys.Verify(spki, algorithm!.Value, infoDer.Span, signature))
        {
            throw PkiException.BadCsr("the CSR signature does not verify with the CSR's own public key");
        }

        var extensions = new List<X509Extension>();
        var names = SubjectNames.Empty;
        string? challengePassword = null;
        var otherAttributes = new List<string>();
        if (info.HasData)
        {
            var attributes = info.ReadSetOf(skipSortOrderValidation: true, new Asn1Tag(TagClass.ContextSpecific, 0));
            while (attributes.HasData)
            {
                var attribute = attributes.ReadSequence();
                var type = attribute.ReadObjectIdentifier();
                var values = attribute.ReadSetOf(skipSortOrderValidation: true);
                if (type == ExtensionRequestOid)
                {
                    var list = values.ReadSequence();
                    while (list.HasData)
                    {
                        var extension = list.ReadSequence();
                        var oid = extension.ReadObjectIdentifier();
                        var critical = extension.HasData && extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
                        var value = extension.ReadOctetString();
                        extensions.Add(new X509Extension(oid, value, critical));
                        if (oid == GeneralNames.SubjectAltNameOid)
                        {
                            names = GeneralNames.Read(value);
                        }
                    }
                }
                else if (type == ChallengePasswordOid)
                {
                    challengePassword = ReadDirectoryString(values);
                }
                else
                {
                    otherAttributes.Add(type);
                }
            }
        }

        return new CertificationRequest(der, subject, spki, keySpec, names, extensions, challengePassword, verifySignature) { OtherAttributeTypes = otherAttributes };
    }

    private static string ReadDirectoryString(AsnReader values)
    {
        var tag = values.PeekTag();
        return tag.TagValue switch
        {
            (int)UniversalTagNumber.UTF8String => values.ReadCharacterString(UniversalTagNumber.UTF8String),
            (int)UniversalTagNumber.PrintableString => values.ReadCharacterString(UniversalTagNumber.PrintableString),
            (int)UniversalTagNumber.IA5String => values.ReadCharacterString(UniversalTagNumber.IA5String),
            (int)UniversalTagNumber.BMPString => values.ReadCharacterString(UniversalTagNumber.BMPString),
            (int)UniversalTagNumber.T61String => values.ReadCharacterString(UniversalTagNumber.T61String),
            _ => throw PkiException.BadCsr("the CSR challengePassword is not a DirectoryString"),
        };
    }
}
