namespace PkiProtocolServer.Acme.Stores;

/// <summary>
/// What anti-replay nonces (RFC 8555 6.5) need from the shared state. A nonce is self-contained (its expiry and a MAC
/// under the key kept here), so issuing one writes nothing; the store keeps only the key every node shares and the
/// nonces used so far, each until its expiry. Recording a use is atomic across every node sharing the store: of any
/// number of concurrent recordings of one nonce, exactly one reports it unused.
/// </summary>
public interface INonceStore
{
    /// <summary>
    /// The key nonces are MACed with: created (32 random bytes) by the first caller on a fresh store, the same value
    /// read back by every later caller on every node.
    /// </summary>
    Task<byte[]> GetOrCreateKeyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="nonce"/> as used, to be kept until <paramref name="keepUntil"/>, in one atomic operation;
    /// true if it was not recorded before (this is its first use), false if it was.
    /// </summary>
    Task<bool> TryRecordUseAsync(string nonce, DateTimeOffset keepUntil, CancellationToken cancellationToken);

    /// <summary>Removes records of used nonces kept until <paramref name="now"/> or before; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
