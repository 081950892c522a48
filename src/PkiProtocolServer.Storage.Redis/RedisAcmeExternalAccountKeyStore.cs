using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Storage.Redis.Documents;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// External Account Binding keys, one hash <c>acme:eab:&lt;id&gt;</c> each, listed through <c>acme:eabs</c> (by
/// creation). An unbound key that expires has a TTL and an entry in <c>acme:eabs:expiry</c>; binding (done by
/// <see cref="RedisAcmeAccountStore.AddAsync"/>, in the account's script) removes both, since a bound key stays as
/// the record of the binding.
/// </summary>
public sealed class RedisAcmeExternalAccountKeyStore : IExternalAccountKeyStore
{
    private readonly RedisConnection _connection;
    private readonly TimeSpan _retention;

    public RedisAcmeExternalAccountKeyStore(RedisConnection connection, TimeSpan retention)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _retention = retention;
    }

    public async Task AddAsync(ExternalAccountKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var added = (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.AddExternalAccountKey, new
        {
            eab = RedisAcmeKeys.ExternalAccountKey(key.Id),
            eabs = RedisAcmeKeys.ExternalAccountKeys,
            byExpiry = RedisAcmeKeys.ExternalAccountKeysByExpiry,
            id = key.Id,
            json = AcmeJson.Write(key),
            created = key.CreatedAt.ToUnixTimeMilliseconds(),
            expires = key.ExpiresAt is { } expires ? (RedisValue)expires.ToUnixTimeMilliseconds() : RedisValue.EmptyString,
            bound = key.BoundAccountId ?? string.Empty,
            pexpireAt = key.ExpiresAt is { } at ? RedisAcmeStores.KeyExpiry(at, _retention) : 0,
        }), cancellationToken).ConfigureAwait(false);
        if (added != 1)
        {
            throw PkiException.Conflict("an external account key with that id exists");
        }
    }

    public Task<ExternalAccountKey?> GetAsync(string id, CancellationToken cancellationToken) =>
        _connection.ReadAsync(db => ReadAsync(db, id), cancellationToken);

    /// <summary>Keys are few (issued by an operator), so one walk of <c>acme:eabs</c> in creation order, filtered by directory.</summary>
    public Task<IReadOnlyList<ExternalAccountKey>> ListAsync(string? directory, CancellationToken cancellationToken) =>
        _connection.ReadAsync<IReadOnlyList<ExternalAccountKey>>(async db =>
        {
            var ids = await db.SortedSetRangeByRankAsync(RedisAcmeKeys.ExternalAccountKeys).ConfigureAwait(false);
            var keys = await Task.WhenAll(ids.Select(id => ReadAsync(db, id!))).ConfigureAwait(false);
            return [.. keys.OfType<ExternalAccountKey>().Where(k => directory is null || k.Directory == directory)];
        }, cancellationToken);

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.DeleteExternalAccountKey, new
        {
            eab = RedisAcmeKeys.ExternalAccountKey(id),
            eabs = RedisAcmeKeys.ExternalAccountKeys,
            byExpiry = RedisAcmeKeys.ExternalAccountKeysByExpiry,
            id,
        }), cancellationToken).ConfigureAwait(false) > 0;

    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now.ToUnixTimeMilliseconds();
        var ids = await _connection.ReadAsync(db => db.SortedSetRangeByScoreAsync(RedisAcmeKeys.ExternalAccountKeysByExpiry, double.NegativeInfinity, before), cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var member in ids)
        {
            var id = member.ToString();
            removed += (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.DeleteExpiredExternalAccountKey, new
            {
                eab = RedisAcmeKeys.ExternalAccountKey(id),
                eabs = RedisAcmeKeys.ExternalAccountKeys,
                byExpiry = RedisAcmeKeys.ExternalAccountKeysByExpiry,
                id,
                before,
            }), cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    private static async Task<ExternalAccountKey?> ReadAsync(IDatabase db, string id)
    {
        var value = await db.HashGetAsync(RedisAcmeKeys.ExternalAccountKey(id), "doc").ConfigureAwait(false);
        return value.IsNull ? null : AcmeJson.Read<ExternalAccountKey>(value, "external account key");
    }
}
