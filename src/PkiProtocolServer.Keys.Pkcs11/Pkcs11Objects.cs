using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Keys.Pkcs11;

/// <summary>Finding key objects on a token and reading their public halves.</summary>
internal static class Pkcs11Objects
{
    /// <summary>Key objects of <paramref name="objectClass"/> whose CKA_LABEL and/or CKA_ID match (null = any).</summary>
    public static List<IObjectHandle> Find(ISession session, CKO objectClass, string? label, byte[]? id)
    {
        var factory = session.Factories.ObjectAttributeFactory;
        var template = new List<IObjectAttribute> { factory.Create(CKA.CKA_CLASS, objectClass) };
        if (label is not null)
        {
            template.Add(factory.Create(CKA.CKA_LABEL, label));
        }

        if (id is not null)
        {
            template.Add(factory.Create(CKA.CKA_ID, id));
        }

        try
        {
            return session.FindAllObjects(template);
        }
        finally
        {
            DisposeAll(template);
        }
    }

    /// <summary>Reads byte-array attributes; an attribute the object lacks or hides comes back null.</summary>
    public static byte[]?[] ReadBytes(ISession session, IObjectHandle handle, params CKA[] types)
    {
        var values = session.GetAttributeValue(handle, [.. types]);
        try
        {
            return [.. values.Select(v => v.CannotBeRead ? null : v.GetValueAsByteArray())];
        }
        finally
        {
            DisposeAll(values);
        }
    }

    /// <summary>Reads one CK_BBOOL attribute; null when the object lacks it.</summary>
    public static bool? ReadBool(ISession session, IObjectHandle handle, CKA type)
    {
        var values = session.GetAttributeValue(handle, [type]);
        try
        {
            return values[0].CannotBeRead ? null : values[0].GetValueAsBool();
        }
        finally
        {
            DisposeAll(values);
        }
    }

    public static ulong? ReadUlong(ISession session, IObjectHandle handle, CKA type)
    {
        var values = session.GetAttributeValue(handle, [type]);
        try
        {
            return values[0].CannotBeRead ? null : values[0].GetValueAsUlong();
        }
        finally
        {
            DisposeAll(values);
        }
    }

    /// <summary>
    /// The DER SubjectPublicKeyInfo of a key pair, and its spec. RSA public parts are also readable on the
    /// private object (so RSA keys imported without a public object still work); EC and Ed25519 need the
    /// public object, since CKA_EC_POINT lives only there.
    /// </summary>
    public static (KeySpec Spec, byte[] SubjectPublicKeyInfo) ReadPublicKey(ISession session, IObjectHandle privateKey, IObjectHandle? publicKey, string keyReference)
    {
        var keyType = ReadUlong(session, privateKey, CKA.CKA_KEY_TYPE)
            ?? throw PkiException.Malformed($"PKCS#11 key {keyReference} has no readable CKA_KEY_TYPE");
        byte[] spki;
        if (keyType == (ulong)CKK.CKK_RSA)
        {
            var values = ReadBytes(session, publicKey ?? privateKey, CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT);
            if (values[0] is null || values[1] is null)
            {
                throw PkiException.Malformed($"PKCS#11 RSA key {keyReference} does not reveal its modulus and public exponent");
            }

            spki = Pkcs11KeyEncoding.RsaSubjectPublicKeyInfo(values[0]!, values[1]!);
        }
        else if (keyType == (ulong)CKK.CKK_EC || keyType == Pkcs11V3Constants.CkkEcEdwards)
        {
            if (publicKey is null)
            {
                throw PkiException.Malformed($"PKCS#11 key {keyReference} has no public key object with the same CKA_ID or label; its public point cannot be read");
            }

            var values = ReadBytes(session, publicKey, CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT);
            if (values[0] is null || values[1] is null)
            {
                throw PkiException.Malformed($"PKCS#11 key {keyReference}: the public key object lacks CKA_EC_PARAMS or CKA_EC_POINT");
            }

            spki = keyType == (ulong)CKK.CKK_EC
                ? Pkcs11KeyEncoding.EcSubjectPublicKeyInfo(values[0]!, values[1]!)
                : Pkcs11KeyEncoding.Ed25519SubjectPublicKeyInfo(values[0]!, values[1]!);
        }
        else
        {
            throw PkiException.Malformed($"PKCS#11 key {keyReference} has key type 0x{keyType:x}; supported are RSA, EC and Ed25519");
        }

        try
        {
            return (PublicKeys.Describe(spki), spki);
        }
        catch (PkiException ex)
        {
            // Describe speaks of CSRs; here the key on the token is what is unacceptable.
            throw PkiException.Malformed($"PKCS#11 key {keyReference} cannot be a CA key: {ex.Message}");
        }
    }

    public static void DisposeAll(List<IObjectAttribute> attributes)
    {
        foreach (var attribute in attributes)
        {
            attribute.Dispose();
        }
    }
}
