namespace PkiProtocolServer.Core.Keys;

/// <summary>Families of asymmetric keys the server can hold or certify.</summary>
public enum KeyAlgorithm
{
    Rsa,
    Ec,
    Ed25519,
}
