using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// Replacement claims, one hash <c>acme:replacement:&lt;certificate id&gt;</c> each (TTL: the certificate's NotAfter plus
/// retention), purged through <c>acme:replacements:expiry</c>. Claiming and completing are compare-and-set scripts.
/// </summary>
public sealed class RedisCertificateReplacementStore : ICertificateReplacementStore
{
    private readonly RedisConnection _connection;
    private readonly TimeSpan _retention;

    public RedisCertificateReplacementStore(RedisConnection connection, TimeSpan retention)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _retention = retention;
    }

    public Task<CertificateReplacement?> GetAsync(string certificateId, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var fields = await db.HashGetAsync(RedisRenewalKeys.Replacement(certificateId), ["order", "completed", "claimed", "expires"]).ConfigureAwait(false);
            return fields[0].IsNull
                ? null
                : new CertificateReplacement(
                    certificateId, fields[0].ToString(), fields[1] == "1", DateTimeOffset.FromUnixTimeMilliseconds((long)fields[2]), DateTimeOffset.FromUnixTimeMilliseconds((long)fields[3]));
        }, cancellationToken);

    public async Task<bool> TryClaimAsync(string certificateId, string orderId, string? expectedOrderId, DateTimeOffset claimedAt, DateTimeOffset expires, CancellationToken cancellationToken) =>
        (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RenewalScripts.Claim, new
        {
            replacement = RedisRenewalKeys.Replacement(certificateId),
            byExpiry = RedisRenewalKeys.ReplacementsByExpiry,
            id = certificateId,
            order = orderId,
            expected = expectedOrderId ?? string.Empty,
            claimed = claimedAt.ToUnixTimeMilliseconds(),
            expires = expires.ToUnixTimeMilliseconds(),
            pexpireAt = RedisAcmeStores.KeyExpiry(expires, _retention),
        }), cancellationToken).ConfigureAwait(false) == 1;

    public async Task<bool> CompleteAsync(string certificateId, string orderId, CancellationToken cancellationToken) =>
        (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RenewalScripts.Complete, new
        {
            replacement = RedisRenewalKeys.Replacement(certificateId),
            order = orderId,
        }), cancellationToken).ConfigureAwait(false) == 1;

    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now.ToUnixTimeMilliseconds();
        var ids = await _connection.ReadAsync(db => db.SortedSetRangeByScoreAsync(RedisRenewalKeys.ReplacementsByExpiry, double.NegativeInfinity, before), cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var member in ids)
        {
            var id = member.ToString();
            removed += (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RenewalScripts.DeleteExpired, new
            {
                replacement = RedisRenewalKeys.Replacement(id),
                byExpiry = RedisRenewalKeys.ReplacementsByExpiry,
                id,
                before,
            }), cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }
}
