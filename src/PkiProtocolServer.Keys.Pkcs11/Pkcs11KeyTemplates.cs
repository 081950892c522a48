using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Net.Pkcs11Interop.HighLevelAPI.Factories;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Keys.Pkcs11;

/// <summary>
/// Key-pair generation templates for CA keys: the private half lives on the token, is private (PIN
/// needed), sensitive and never extractable, and may only sign; both halves share CKA_ID and CKA_LABEL
/// so tools such as pkcs11-tool show them as one key.
/// </summary>
internal static class Pkcs11KeyTemplates
{
    private static readonly byte[] PublicExponent65537 = [0x01, 0x00, 0x01];

    public static ulong GenerationMechanism(KeySpec spec) => spec.Algorithm switch
    {
        KeyAlgorithm.Rsa => (ulong)CKM.CKM_RSA_PKCS_KEY_PAIR_GEN,
        KeyAlgorithm.Ec => (ulong)CKM.CKM_EC_KEY_PAIR_GEN,
        _ => Pkcs11V3Constants.CkmEcEdwardsKeyPairGen,
    };

    public static List<IObjectAttribute> PublicKey(IObjectAttributeFactory factory, KeySpec spec, string label, byte[] id)
    {
        var attributes = new List<IObjectAttribute>
        {
            factory.Create(CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY),
            factory.Create(CKA.CKA_KEY_TYPE, KeyType(spec)),
            factory.Create(CKA.CKA_TOKEN, true),
            factory.Create(CKA.CKA_PRIVATE, false),
            factory.Create(CKA.CKA_VERIFY, true),
            factory.Create(CKA.CKA_ENCRYPT, false),
            factory.Create(CKA.CKA_WRAP, false),
            factory.Create(CKA.CKA_LABEL, label),
            factory.Create(CKA.CKA_ID, id),
        };
        switch (spec.Algorithm)
        {
            case KeyAlgorithm.Rsa:
                attributes.Add(factory.Create(CKA.CKA_MODULUS_BITS, (ulong)spec.Bits));
                attributes.Add(factory.Create(CKA.CKA_PUBLIC_EXPONENT, PublicExponent65537));
                break;
            case KeyAlgorithm.Ec:
                attributes.Add(factory.Create(CKA.CKA_EC_PARAMS, Pkcs11KeyEncoding.NamedCurveParameters(spec)));
                break;
            default:
                attributes.Add(factory.Create(CKA.CKA_EC_PARAMS, Pkcs11KeyEncoding.Ed25519GenerationParameters()));
                break;
        }

        return attributes;
    }

    public static List<IObjectAttribute> PrivateKey(IObjectAttributeFactory factory, KeySpec spec, string label, byte[] id) =>
    [
        factory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
        factory.Create(CKA.CKA_KEY_TYPE, KeyType(spec)),
        factory.Create(CKA.CKA_TOKEN, true),
        factory.Create(CKA.CKA_PRIVATE, true),
        factory.Create(CKA.CKA_SENSITIVE, true),
        factory.Create(CKA.CKA_EXTRACTABLE, false),
        factory.Create(CKA.CKA_SIGN, true),
        factory.Create(CKA.CKA_DECRYPT, false),
        factory.Create(CKA.CKA_UNWRAP, false),
        factory.Create(CKA.CKA_DERIVE, false),
        factory.Create(CKA.CKA_LABEL, label),
        factory.Create(CKA.CKA_ID, id),
    ];

    private static ulong KeyType(KeySpec spec) => spec.Algorithm switch
    {
        KeyAlgorithm.Rsa => (ulong)CKK.CKK_RSA,
        KeyAlgorithm.Ec => (ulong)CKK.CKK_EC,
        _ => Pkcs11V3Constants.CkkEcEdwards,
    };
}
