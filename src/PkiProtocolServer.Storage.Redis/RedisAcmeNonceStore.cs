using System.Security.Cryptography;
using PkiProtocolServer.Acme.Stores;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// The nonce key in <c>acme:nonce-key</c> (string, no TTL), and each used nonce as <c>acme:nonce:&lt;nonce&gt;</c>
/// expiring when its record may go. Recording a use is one <c>SET NX PXAT</c>: Redis runs commands one at a time, so
/// of concurrent recordings on any number of nodes exactly one finds the key absent. Issuing a nonce touches Redis not
/// at all, and nothing needs sweeping: Redis drops each record at its expiry.
/// </summary>
public sealed class RedisAcmeNonceStore : INonceStore
{
    private readonly RedisConnection _connection;

    public RedisAcmeNonceStore(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    public async Task<byte[]> GetOrCreateKeyAsync(CancellationToken cancellationToken)
    {
        // SET NX: the first node to start on a fresh Redis creates the key; every node then reads back the one that won.
        var candidate = RandomNumberGenerator.GetBytes(32);
        await _connection.WriteAsync(db => db.StringSetAsync(RedisAcmeKeys.NonceKey, candidate, expiry: null, when: When.NotExists), cancellationToken).ConfigureAwait(false);
        var key = (byte[]?)await _connection.ReadAsync(db => db.StringGetAsync(RedisAcmeKeys.NonceKey), cancellationToken).ConfigureAwait(false);
        return key is { Length: > 0 } ? key : throw new InvalidOperationException("the ACME nonce key is missing from Redis right after it was set");
    }

    public Task<bool> TryRecordUseAsync(string nonce, DateTimeOffset keepUntil, CancellationToken cancellationToken) =>
        _connection.WriteAsync(db => db.StringSetAsync(RedisAcmeKeys.Nonce(nonce), 1, new Expiration(keepUntil.UtcDateTime), ValueCondition.NotExists), cancellationToken);

    /// <summary>
    /// Redis drops each used-nonce record at its expiry, so there is nothing to count; the sweep only removes the
    /// index of issued nonces an earlier version kept (one DEL, a no-op once it is gone).
    /// </summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _connection.WriteAsync(db => db.KeyDeleteAsync(RedisAcmeKeys.LegacyNoncesByExpiry), cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
