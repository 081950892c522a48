using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Storage.Redis.Scripts;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// Nonces, one string <c>acme:nonce:&lt;nonce&gt;</c> each holding its expiry (TTL: expiry plus retention), indexed by
/// expiry. Redemption is one script that checks and deletes, so of concurrent redemptions on any number of nodes
/// exactly one succeeds.
/// </summary>
public sealed class RedisAcmeNonceStore : INonceStore
{
    private readonly RedisConnection _connection;
    private readonly TimeSpan _retention;

    public RedisAcmeNonceStore(RedisConnection connection, TimeSpan retention)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _retention = retention;
    }

    public async Task AddAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var added = (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.AddNonce, new
        {
            key = RedisAcmeKeys.Nonce(nonce),
            byExpiry = RedisAcmeKeys.NoncesByExpiry,
            nonce,
            expires = expiresAt.ToUnixTimeMilliseconds(),
            pexpireAt = RedisAcmeStores.KeyExpiry(expiresAt, _retention),
        }), cancellationToken).ConfigureAwait(false);
        if (added != 1)
        {
            throw PkiException.Conflict("that nonce exists");
        }
    }

    public async Task<bool> TryRedeemAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken) =>
        (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.RedeemNonce, new
        {
            key = RedisAcmeKeys.Nonce(nonce),
            byExpiry = RedisAcmeKeys.NoncesByExpiry,
            nonce,
            now = now.ToUnixTimeMilliseconds(),
        }), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Nonces expired at <paramref name="now"/>, each removed with its index entry by one script that re-checks the expiry.</summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now.ToUnixTimeMilliseconds();
        var nonces = await _connection.ReadAsync(db => db.SortedSetRangeByScoreAsync(RedisAcmeKeys.NoncesByExpiry, double.NegativeInfinity, before), cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var member in nonces)
        {
            var nonce = member.ToString();
            removed += (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.DeleteExpired, new
            {
                record = RedisAcmeKeys.Nonce(nonce),
                byExpiry = RedisAcmeKeys.NoncesByExpiry,
                extra1 = RedisAcmeKeys.NoncesByExpiry,
                extra2 = RedisAcmeKeys.NoncesByExpiry,
                id = nonce,
                before,
            }), cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }
}
