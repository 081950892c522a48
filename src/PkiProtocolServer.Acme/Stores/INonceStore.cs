namespace PkiProtocolServer.Acme.Stores;

/// <summary>
/// Anti-replay nonces (RFC 8555 6.5). Redemption is atomic across every node sharing the store: of any number of
/// concurrent redemptions of one nonce, exactly one succeeds.
/// </summary>
public interface INonceStore
{
    Task AddAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>True once for a nonce that was added and has not expired at <paramref name="now"/>; false otherwise, and always after.</summary>
    Task<bool> TryRedeemAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes nonces expired at <paramref name="now"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
