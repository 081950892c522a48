namespace PkiProtocolServer.Core.Keys;

/// <summary>
/// One kind of key custody (<c>software</c>, <c>pkcs11</c>, <c>gcpkms</c>): makes new CA keys and opens
/// existing ones by reference. The host registers every custody it has configured.
/// </summary>
public interface IKeyCustody
{
    /// <summary>The custody name and key-reference scheme, e.g. <c>pkcs11</c>.</summary>
    string Name { get; }

    /// <summary>True when the private key lives in this process's memory and files (development grade).</summary>
    bool IsDevelopmentGrade { get; }

    /// <summary>Generates a new key pair in this custody. For an HSM the key is non-extractable and sensitive.</summary>
    /// <param name="spec">Key type and size.</param>
    /// <param name="label">A human label to store with the key (PKCS#11 CKA_LABEL, file name hint).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A signer for the new key; its <see cref="ISigner.KeyReference"/> reopens it later.</returns>
    ValueTask<ISigner> GenerateAsync(KeySpec spec, string label, CancellationToken cancellationToken);

    /// <summary>Opens an existing key by reference (one this custody generated, or one already on the device).</summary>
    ValueTask<ISigner> OpenAsync(string keyReference, CancellationToken cancellationToken);

    /// <summary>Destroys a key this custody holds, where the custody allows it. Returns false if it was not found.</summary>
    ValueTask<bool> DeleteAsync(string keyReference, CancellationToken cancellationToken);
}
