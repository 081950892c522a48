using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Storage.Redis.Documents;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// ACME authorizations with their challenges, one hash <c>acme:authz:&lt;id&gt;</c> each (TTL: expiry plus
/// retention), indexed by expiry, by validation due time (what the validator polls) and, while valid, per account
/// and identifier for reuse. New ones are written by <see cref="RedisAcmeOrderStore.AddAsync"/>, pre-authorizations by <see cref="AddAsync"/>.
/// </summary>
public sealed class RedisAcmeAuthorizationStore : IAuthorizationStore
{
    private readonly RedisConnection _connection;
    private readonly TimeSpan _retention;

    public RedisAcmeAuthorizationStore(RedisConnection connection, TimeSpan retention)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _retention = retention;
    }

    public async Task<AcmeAuthorization> AddAsync(AcmeAuthorization authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var stored = authorization with { Version = 1 };
        var added = (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.AddAuthorization, new
        {
            authorization = RedisAcmeKeys.Authorization(stored.Id),
            authzByExpiry = RedisAcmeKeys.AuthorizationsByExpiry,
            authzDue = RedisAcmeKeys.AuthorizationsDue,
            reuse = RedisAcmeKeys.ReusableAuthorizations(stored.AccountId, stored.Identifier, stored.Wildcard),
            id = stored.Id,
            json = AcmeJson.Write(stored),
            expires = stored.Expires.ToUnixTimeMilliseconds(),
            due = stored.ValidationDueAt is { } due ? (RedisValue)due.ToUnixTimeMilliseconds() : RedisValue.EmptyString,
            valid = stored.Status == AuthorizationStatus.Valid ? "1" : "0",
            pexpireAt = RedisAcmeStores.KeyExpiry(stored.Expires, _retention),
        }), cancellationToken).ConfigureAwait(false);
        return added == 1 ? stored : throw PkiException.Conflict($"an authorization with id {stored.Id} exists");
    }

    public Task<AcmeAuthorization?> GetAsync(string id, CancellationToken cancellationToken) =>
        _connection.ReadAsync(db => ReadAsync(db, id), cancellationToken);

    public async Task<IReadOnlyList<AcmeAuthorization>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        return await _connection.ReadAsync<IReadOnlyList<AcmeAuthorization>>(async db =>
        {
            var found = await Task.WhenAll(ids.Distinct(StringComparer.Ordinal).Select(id => ReadAsync(db, id))).ConfigureAwait(false);
            return [.. found.OfType<AcmeAuthorization>()];
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<AcmeAuthorization?> FindReusableAsync(string accountId, AcmeIdentifier identifier, bool wildcard, DateTimeOffset validUntil, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var candidates = await db.SortedSetRangeByScoreAsync(
                RedisAcmeKeys.ReusableAuthorizations(accountId, identifier, wildcard),
                validUntil.ToUnixTimeMilliseconds(),
                double.PositiveInfinity,
                Exclude.None,
                Order.Descending).ConfigureAwait(false);
            foreach (var id in candidates)
            {
                // Re-checked on the record: the index may trail a record purged or changed since.
                var authorization = await ReadAsync(db, id!).ConfigureAwait(false);
                if (authorization is { Status: AuthorizationStatus.Valid } && authorization.Expires >= validUntil)
                {
                    return authorization;
                }
            }

            return null;
        }, cancellationToken);

    public async Task<AcmeAuthorization?> TryUpdateAsync(AcmeAuthorization authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var next = authorization with { Version = authorization.Version + 1 };
        var changed = (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.UpdateAuthorization, new
        {
            authorization = RedisAcmeKeys.Authorization(next.Id),
            authzByExpiry = RedisAcmeKeys.AuthorizationsByExpiry,
            authzDue = RedisAcmeKeys.AuthorizationsDue,
            reuse = RedisAcmeKeys.ReusableAuthorizations(next.AccountId, next.Identifier, next.Wildcard),
            id = next.Id,
            version = authorization.Version,
            next = next.Version,
            json = AcmeJson.Write(next),
            expires = next.Expires.ToUnixTimeMilliseconds(),
            due = next.ValidationDueAt is { } due ? (RedisValue)due.ToUnixTimeMilliseconds() : RedisValue.EmptyString,
            valid = next.Status == AuthorizationStatus.Valid ? "1" : "0",
            pexpireAt = RedisAcmeStores.KeyExpiry(next.Expires, _retention),
        }), cancellationToken).ConfigureAwait(false);
        return changed == 1 ? next : null;
    }

    public async Task<IReadOnlyList<string>> ListDueValidationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        if (limit < 1)
        {
            return [];
        }

        var ids = await _connection.ReadAsync(db => db.SortedSetRangeByScoreAsync(
            RedisAcmeKeys.AuthorizationsDue, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), Exclude.None, Order.Ascending, 0, limit), cancellationToken).ConfigureAwait(false);
        return [.. ids.Select(id => id.ToString())];
    }

    /// <summary>The authorizations expired at or before <paramref name="now"/>, each removed with its indexes by one script that re-checks the expiry.</summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now.ToUnixTimeMilliseconds();
        var ids = await _connection.ReadAsync(db => db.SortedSetRangeByScoreAsync(RedisAcmeKeys.AuthorizationsByExpiry, double.NegativeInfinity, before), cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var member in ids)
        {
            var id = member.ToString();
            var record = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            var reuse = record is null ? RedisAcmeKeys.AuthorizationsDue : RedisAcmeKeys.ReusableAuthorizations(record.AccountId, record.Identifier, record.Wildcard);
            removed += (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.DeleteExpired, new
            {
                record = RedisAcmeKeys.Authorization(id),
                byExpiry = RedisAcmeKeys.AuthorizationsByExpiry,
                extra1 = RedisAcmeKeys.AuthorizationsDue,
                extra2 = reuse,
                id,
                before,
            }), cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    private static async Task<AcmeAuthorization?> ReadAsync(IDatabase db, string id)
    {
        var values = await db.HashGetAsync(RedisAcmeKeys.Authorization(id), ["doc", "version"]).ConfigureAwait(false);
        return values[0].IsNull ? null : AcmeJson.Read<AcmeAuthorization>(values[0], "ACME authorization") with { Version = (long)values[1] };
    }
}
