namespace PkiProtocolServer.Core.Keys;

/// <summary>
/// The key custody seam: a CA private key the core may ask to sign, but never see.
/// Implementations: software (encrypted PKCS#8), PKCS#11 (HSM), Cloud KMS (remote, slow: hence async).
/// Instances are shared and must be safe for concurrent use.
/// </summary>
public interface ISigner
{
    /// <summary>The key reference this signer was opened from (e.g. <c>pkcs11:token=ca;object=root</c>).</summary>
    string KeyReference { get; }

    /// <summary>Type and size of the key.</summary>
    KeySpec KeySpec { get; }

    /// <summary>The DER SubjectPublicKeyInfo of the key, loaded once when the signer is opened.</summary>
    ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    /// <summary>
    /// Signs <paramref name="data"/> (a TBSCertificate, TBSCertList, CertificationRequestInfo, ...) with
    /// <paramref name="algorithm"/>. The signer hashes where the algorithm needs a digest. Returns the
    /// signature as X.509 carries it: DER Ecdsa-Sig-Value for ECDSA, the raw value for RSA and Ed25519.
    /// </summary>
    /// <exception cref="Errors.PkiException">The algorithm does not fit the key, or the custody backend failed.</exception>
    ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, SignatureAlgorithm algorithm, CancellationToken cancellationToken);
}
