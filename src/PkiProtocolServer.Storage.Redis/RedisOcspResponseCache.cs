using System.Globalization;
using PkiProtocolServer.Core.Revocation.Ocsp;
using PkiProtocolServer.Storage.Redis.Documents;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// Pre-signed OCSP responses, one string key <c>ocsp:&lt;cert id key&gt;</c> each, indexed by refresh time, by
/// nextUpdate and by serial; a script writes or removes a response with its index entries. Every response also
/// expires by itself (TTL: its validity span plus <see cref="ExpiryGrace"/>), so a cache nobody tidies cannot grow
/// without bound; index entries left by such expiry are dropped when met.
/// </summary>
public sealed class RedisOcspResponseCache : IOcspResponseCache
{
    /// <summary>How long past its validity span a response is kept before Redis drops it unasked.</summary>
    internal static readonly TimeSpan ExpiryGrace = TimeSpan.FromHours(1);

    private readonly RedisConnection _connection;

    public RedisOcspResponseCache(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    public Task<CachedOcspResponse?> GetAsync(string key, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var value = await db.StringGetAsync(RedisRevocationKeys.OcspResponse(key)).ConfigureAwait(false);
            return value.IsNull ? null : Read(value);
        }, cancellationToken);

    public Task PutAsync(CachedOcspResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        // Relative to the response's own thisUpdate (it is put right after signing), so the TTL does not depend on
        // how this node's clock compares with Redis's.
        var span = response.NextUpdate - response.ThisUpdate;
        var ttl = (long)Math.Ceiling((span > TimeSpan.Zero ? span : TimeSpan.Zero).Add(ExpiryGrace).TotalMilliseconds);
        return _connection.WriteAsync(db => db.ScriptEvaluateAsync(RedisRevocationScripts.PutOcspResponse, new
        {
            entry = RedisRevocationKeys.OcspResponse(response.Key),
            byRefreshAt = RedisRevocationKeys.OcspByRefreshAt,
            byNextUpdate = RedisRevocationKeys.OcspByNextUpdate,
            bySerial = RedisRevocationKeys.OcspBySerial(response.Serial),
            key = response.Key,
            json = RedisJson.Write(OcspResponseDocument.From(response), RedisRevocationJsonContext.Instance.OcspResponseDocument),
            refreshAt = response.RefreshAt.ToUnixTimeMilliseconds(),
            nextUpdate = response.NextUpdate.ToUnixTimeMilliseconds(),
            ttl = ttl.ToString(CultureInfo.InvariantCulture),
        }), cancellationToken);
    }

    public async Task<int> RemoveSerialAsync(string serial, CancellationToken cancellationToken)
    {
        var keys = await _connection.ReadAsync(db => db.SetMembersAsync(RedisRevocationKeys.OcspBySerial(serial)), cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var key in keys)
        {
            removed += await RemoveAsync((string)key!, serial, before: null, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    public async Task<IReadOnlyList<CachedOcspResponse>> ListRefreshDueAsync(DateTimeOffset dueBy, int limit, CancellationToken cancellationToken)
    {
        if (limit < 1)
        {
            return [];
        }

        var keys = await _connection.ReadAsync(
            db => db.SortedSetRangeByScoreAsync(RedisRevocationKeys.OcspByRefreshAt, double.NegativeInfinity, dueBy.ToUnixTimeMilliseconds(), Exclude.None, Order.Ascending, 0, limit),
            cancellationToken).ConfigureAwait(false);
        if (keys.Length == 0)
        {
            return [];
        }

        var values = await _connection.ReadAsync(db => db.StringGetAsync([.. keys.Select(k => RedisRevocationKeys.OcspResponse((string)k!))]), cancellationToken).ConfigureAwait(false);
        var due = new List<CachedOcspResponse>(values.Length);
        var stale = new List<RedisValue>();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].IsNull)
            {
                stale.Add(keys[i]);
            }
            else
            {
                due.Add(Read(values[i]));
            }
        }

        if (stale.Count > 0)
        {
            // Left by the TTL: index entries of responses that are gone.
            await _connection.WriteAsync(db => db.SortedSetRemoveAsync(RedisRevocationKeys.OcspByRefreshAt, [.. stale]), cancellationToken).ConfigureAwait(false);
        }

        return due;
    }

    public async Task<int> RemoveExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        if (limit < 1)
        {
            return 0;
        }

        var before = now.ToUnixTimeMilliseconds();
        var keys = await _connection.ReadAsync(
            db => db.SortedSetRangeByScoreAsync(RedisRevocationKeys.OcspByNextUpdate, double.NegativeInfinity, before, Exclude.Stop, Order.Ascending, 0, limit),
            cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var member in keys)
        {
            var key = (string)member!;
            var response = await GetAsync(key, cancellationToken).ConfigureAwait(false);
            // A response already dropped by its TTL leaves index entries only; the serial's set expires on its own.
            removed += await RemoveAsync(key, response?.Serial, before, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    private async Task<int> RemoveAsync(string key, string? serial, long? before, CancellationToken cancellationToken) =>
        (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RedisRevocationScripts.RemoveOcspResponse, new
        {
            entry = RedisRevocationKeys.OcspResponse(key),
            byRefreshAt = RedisRevocationKeys.OcspByRefreshAt,
            byNextUpdate = RedisRevocationKeys.OcspByNextUpdate,
            bySerial = RedisRevocationKeys.OcspBySerial(serial ?? string.Empty),
            key,
            before = before is { } b ? b.ToString(CultureInfo.InvariantCulture) : string.Empty,
        }), cancellationToken).ConfigureAwait(false);

    private static CachedOcspResponse Read(RedisValue value) =>
        RedisJson.Read(value, RedisRevocationJsonContext.Instance.OcspResponseDocument, "OCSP response").ToResponse();
}
