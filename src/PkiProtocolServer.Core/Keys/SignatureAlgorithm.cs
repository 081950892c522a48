namespace PkiProtocolServer.Core.Keys;

/// <summary>X.509 signature algorithms the signer seam supports. SHA-1 and MD5 are deliberately absent.</summary>
public enum SignatureAlgorithm
{
    EcdsaSha256,
    EcdsaSha384,
    EcdsaSha512,
    RsaPkcs1Sha256,
    RsaPkcs1Sha384,
    RsaPkcs1Sha512,
    RsaPssSha256,
    RsaPssSha384,
    RsaPssSha512,
    Ed25519,
}
