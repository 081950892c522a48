namespace PkiProtocolServer.Keys.Pkcs11;

/// <summary>
/// PKCS#11 3.0 values for Edwards-curve keys, which Pkcs11Interop 5.x (a 2.40 binding) has no enum
/// members for. Values from the OASIS PKCS#11 3.0 base specification (pkcs11t.h).
/// </summary>
internal static class Pkcs11V3Constants
{
    /// <summary>CKK_EC_EDWARDS: key type of Ed25519 / Ed448 keys.</summary>
    public const ulong CkkEcEdwards = 0x00000040;

    /// <summary>CKM_EC_EDWARDS_KEY_PAIR_GEN.</summary>
    public const ulong CkmEcEdwardsKeyPairGen = 0x00001055;

    /// <summary>CKM_EDDSA: without parameters, pure Ed25519 over the whole message (RFC 8032).</summary>
    public const ulong CkmEddsa = 0x00001057;
}
