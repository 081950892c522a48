using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Storage.Sqlite.Acme;

/// <summary>Nonces in <c>acme_nonces</c>; redemption is one DELETE, so of concurrent redemptions exactly one removes the row.</summary>
public sealed class SqliteNonceStore : INonceStore
{
    private readonly SqliteDatabase _database;

    public SqliteNonceStore(SqliteDatabase database)
    {
        _database = database;
    }

    public Task AddAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "INSERT INTO acme_nonces (nonce, expires_at) VALUES (@nonce, @expires_at)",
            ct, ("@nonce", nonce), ("@expires_at", expiresAt.ToUnixTimeMilliseconds())), _ => "that nonce exists", cancellationToken);

    public async Task<bool> TryRedeemAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken) =>
        await _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "DELETE FROM acme_nonces WHERE nonce = @nonce AND expires_at > @now",
            ct, ("@nonce", nonce), ("@now", now.ToUnixTimeMilliseconds())), _ => null, cancellationToken).ConfigureAwait(false) == 1;

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx, "DELETE FROM acme_nonces WHERE expires_at <= @now", ct, ("@now", now.ToUnixTimeMilliseconds())), _ => null, cancellationToken);
}
