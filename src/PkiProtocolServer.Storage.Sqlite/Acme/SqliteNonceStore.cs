using System.Security.Cryptography;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Storage.Sqlite.Acme;

/// <summary>
/// The nonce key in <c>acme_nonce_key</c> (one row) and used nonces in <c>acme_nonces</c>. Recording a use is one
/// <c>INSERT ... ON CONFLICT DO NOTHING</c> on the primary key (portable to PostgreSQL): of concurrent recordings of
/// one nonce exactly one inserts a row.
/// </summary>
public sealed class SqliteNonceStore : INonceStore
{
    private readonly SqliteDatabase _database;

    public SqliteNonceStore(SqliteDatabase database)
    {
        _database = database;
    }

    public async Task<byte[]> GetOrCreateKeyAsync(CancellationToken cancellationToken)
    {
        // The row is created once; a second caller's INSERT is ignored and both read back the same key.
        var candidate = RandomNumberGenerator.GetBytes(32);
        await _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "INSERT INTO acme_nonce_key (id, mac_key) VALUES (1, @key) ON CONFLICT (id) DO NOTHING", ct, ("@key", candidate)), _ => null, cancellationToken).ConfigureAwait(false);
        var keys = await _database.ReadAsync((c, ct) => c.QueryAsync(null, "SELECT mac_key FROM acme_nonce_key WHERE id = 1", r => r.GetBytes(0), ct), cancellationToken).ConfigureAwait(false);
        return keys.Count == 1 ? keys[0] : throw new InvalidOperationException("the ACME nonce key is missing right after it was stored");
    }

    public async Task<bool> TryRecordUseAsync(string nonce, DateTimeOffset keepUntil, CancellationToken cancellationToken) =>
        await _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "INSERT INTO acme_nonces (nonce, expires_at) VALUES (@nonce, @expires_at) ON CONFLICT (nonce) DO NOTHING",
            ct, ("@nonce", nonce), ("@expires_at", keepUntil.ToUnixTimeMilliseconds())), _ => null, cancellationToken).ConfigureAwait(false) == 1;

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx, "DELETE FROM acme_nonces WHERE expires_at <= @now", ct, ("@now", now.ToUnixTimeMilliseconds())), _ => null, cancellationToken);
}
