using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.X509;
using PkiProtocolServer.Est.Configuration;

namespace PkiProtocolServer.Est.Wire;

/// <summary>
/// The CSR attributes response (<c>/csrattrs</c>, RFC 7030 4.5.2) written from a label's role, in one of two forms:
/// <list type="bullet">
/// <item>RFC 7030 as clarified by RFC 9908 section 3.2-3.3: <c>CsrAttrs ::= SEQUENCE OF AttrOrOID</c> with the
/// challengePassword OID when the label needs channel binding, the key type as an attribute (ecPublicKey with the curve,
/// rsaEncryption with the modulus size, or the Ed25519 OID), an extensionRequest attribute holding the keyUsage and
/// extendedKeyUsage values the role sets, and the signature algorithm OID.</item>
/// <item>RFC 9908 section 3.4: one <c>id-aa-certificationRequestInfoTemplate</c> attribute whose template has the subject
/// (the role's O/OU/C with values, a value-absent CN for the device to fill), the key algorithm without a key, and an
/// <c>id-aa-extensionReqTemplate</c> with a value-absent subjectAltName and the role's usages.</item>
/// </list>
/// </summary>
public static class CsrAttributes
{
    public const string ChallengePasswordOid = "1.2.840.113549.1.9.7";
    public const string ExtensionRequestOid = "1.2.840.113549.1.9.14";
    public const string TemplateOid = "1.2.840.113549.1.9.16.2.61";
    public const string ExtensionRequestTemplateOid = "1.2.840.113549.1.9.16.2.62";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";
    private const string CountryOid = "2.5.4.6";
    private const string OrganizationOid = "2.5.4.10";
    private const string OrganizationalUnitOid = "2.5.4.11";
    private const string CommonNameOid = "2.5.4.3";

    public static byte[] Encode(Role role, bool channelBinding, EstCsrAttributesForm form)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            if (form == EstCsrAttributesForm.Template)
            {
                WriteTemplate(writer, role);
            }
            else
            {
                WriteRfc7030(writer, role, channelBinding);
            }
        }

        return writer.Encode();
    }

    private static void WriteRfc7030(AsnWriter writer, Role role, bool channelBinding)
    {
        if (channelBinding)
        {
            // RFC 7030 3.5 and its 4.5.2 example: the OID asks the client to fill challengePassword (with the binding).
            writer.WriteObjectIdentifier(ChallengePasswordOid);
        }

        var key = KeyOf(role);
        if (key is { } spec)
        {
            if (spec.Algorithm == KeyAlgorithm.Ed25519)
            {
                writer.WriteObjectIdentifier(SignatureAlgorithms.Ed25519Oid);
            }
            else
            {
                // RFC 9908 3.2: the key type attribute carries the curve (EC) or the modulus size (RSA) as its value.
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(spec.Algorithm == KeyAlgorithm.Ec ? SignatureAlgorithms.EcPublicKeyOid : SignatureAlgorithms.RsaEncryptionOid);
                    using (writer.PushSetOf())
                    {
                        if (spec.Algorithm == KeyAlgorithm.Ec)
                        {
                            writer.WriteObjectIdentifier(spec.Bits == 384 ? P384Oid : P256Oid);
                        }
                        else
                        {
                            writer.WriteInteger(spec.Bits);
                        }
                    }
                }
            }
        }

        var extensions = RoleExtensions(role, key).ToList();
        if (extensions.Count > 0)
        {
            // RFC 9908 3.3: extensionRequest holds one Extensions value with the values the server wants.
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(ExtensionRequestOid);
                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    foreach (var extension in extensions)
                    {
                        WriteExtension(writer, extension.Oid!.Value!, extension.Critical, extension.RawData);
                    }
                }
            }
        }

        if (key is { } signing)
        {
            writer.WriteObjectIdentifier(SignatureOid(signing));
        }
    }

    private static void WriteTemplate(AsnWriter writer, Role role)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(TemplateOid);
            using (writer.PushSetOf())
            using (writer.PushSequence())
            {
                writer.WriteInteger(0);
                WriteNameTemplate(writer, role);
                if (KeyOf(role) is { } key)
                {
                    // subjectPKInfo [0] IMPLICIT SubjectPublicKeyInfoTemplate: the algorithm, no key.
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    using (writer.PushSequence())
                    {
                        if (key.Algorithm == KeyAlgorithm.Ec)
                        {
                            writer.WriteObjectIdentifier(SignatureAlgorithms.EcPublicKeyOid);
                            writer.WriteObjectIdentifier(key.Bits == 384 ? P384Oid : P256Oid);
                        }
                        else if (key.Algorithm == KeyAlgorithm.Rsa)
                        {
                            writer.WriteObjectIdentifier(SignatureAlgorithms.RsaEncryptionOid);
                            writer.WriteNull();
                        }
                        else
                        {
                            writer.WriteObjectIdentifier(SignatureAlgorithms.Ed25519Oid);
                        }
                    }
                }

                // attributes [1] IMPLICIT Attributes: one id-aa-extensionReqTemplate.
                using (writer.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 1)))
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(ExtensionRequestTemplateOid);
                    using (writer.PushSetOf())
                    using (writer.PushSequence())
                    {
                        // The device names itself: subjectAltName with its value left out (an ExtensionTemplate may omit extnValue).
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier(GeneralNames.SubjectAltNameOid);
                        }

                        foreach (var extension in RoleExtensions(role, KeyOf(role)))
                        {
                            WriteExtension(writer, extension.Oid!.Value!, extension.Critical, extension.RawData);
                        }
                    }
                }
            }
        }
    }

    /// <summary>NameTemplate in the order this CA writes subjects: C, O, OU with the role's values, then CN to fill in.</summary>
    private static void WriteNameTemplate(AsnWriter writer, Role role)
    {
        using (writer.PushSequence())
        {
            foreach (var country in role.Country)
            {
                WriteRdn(writer, CountryOid, country, UniversalTagNumber.PrintableString);
            }

            foreach (var organization in role.Organization)
            {
                WriteRdn(writer, OrganizationOid, organization, UniversalTagNumber.UTF8String);
            }

            foreach (var unit in role.OrganizationalUnit)
            {
                WriteRdn(writer, OrganizationalUnitOid, unit, UniversalTagNumber.UTF8String);
            }

            WriteRdn(writer, CommonNameOid, null, UniversalTagNumber.UTF8String);
        }
    }

    private static void WriteRdn(AsnWriter writer, string type, string? value, UniversalTagNumber encoding)
    {
        using (writer.PushSetOf())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(type);
            if (value is not null)
            {
                writer.WriteCharacterString(encoding, value);
            }
        }
    }

    private static void WriteExtension(AsnWriter writer, string oid, bool critical, byte[] value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (critical)
            {
                writer.WriteBoolean(true); // DER: the DEFAULT FALSE is omitted, never written
            }

            writer.WriteOctetString(value);
        }
    }

    /// <summary>The key the role asks for; null when it takes any (then no key attribute is sent).</summary>
    internal static KeySpec? KeyOf(Role role) => role.KeyType.ToLowerInvariant() switch
    {
        "ec" => role.KeyBits > 256 ? KeySpec.EcP384 : KeySpec.EcP256,
        "rsa" => KeySpec.Parse("rsa", role.KeyBits <= 2048 ? 2048 : role.KeyBits <= 3072 ? 3072 : 4096),
        "ed25519" => KeySpec.Ed25519,
        _ => null,
    };

    private static string SignatureOid(KeySpec key) => key.Algorithm switch
    {
        KeyAlgorithm.Ec when key.Bits == 384 => "1.2.840.10045.4.3.3",
        KeyAlgorithm.Ec => "1.2.840.10045.4.3.2",
        KeyAlgorithm.Rsa => "1.2.840.113549.1.1.11",
        _ => SignatureAlgorithms.Ed25519Oid,
    };

    /// <summary>The keyUsage and extendedKeyUsage the role puts in every certificate, as issuance writes them.</summary>
    private static IEnumerable<X509Extension> RoleExtensions(Role role, KeySpec? key)
    {
        // As issuance trims them (RFC 8813, RFC 8410): only usages the key family can perform. With no key type set, the
        // usages depend on the key the device picks, so none is asked for.
        var usage = Usages.KeyUsageFlags(role.KeyUsage);
        usage = key?.Algorithm switch
        {
            KeyAlgorithm.Rsa => usage & ~X509KeyUsageFlags.KeyAgreement,
            KeyAlgorithm.Ec => usage & ~(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment),
            KeyAlgorithm.Ed25519 => usage & ~(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment | X509KeyUsageFlags.KeyAgreement),
            _ => X509KeyUsageFlags.None,
        };
        if (usage != X509KeyUsageFlags.None)
        {
            yield return new X509KeyUsageExtension(usage, critical: true);
        }

        var ekus = role.ExtKeyUsage.Select(Usages.ExtendedKeyUsageOid).Concat(role.ExtKeyUsageOids).Distinct().ToList();
        if (ekus.Count > 0)
        {
            var collection = new OidCollection();
            foreach (var oid in ekus)
            {
                collection.Add(new Oid(oid));
            }

            yield return new X509EnhancedKeyUsageExtension(collection, critical: false);
        }
    }
}
