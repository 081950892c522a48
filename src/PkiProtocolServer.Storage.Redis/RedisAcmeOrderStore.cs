using System.Globalization;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Storage.Redis.Documents;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// ACME orders, one hash <c>acme:order:&lt;id&gt;</c> each (TTL: expiry plus retention), indexed per account by
/// creation (<c>acme:orders:account:&lt;id&gt;</c>) and by expiry (<c>acme:orders:expiry</c>). An order and its
/// new authorizations are written by one script.
/// </summary>
public sealed class RedisAcmeOrderStore : IOrderStore
{
    private const int ScanBatch = 64;

    private readonly RedisConnection _connection;
    private readonly TimeSpan _retention;

    public RedisAcmeOrderStore(RedisConnection connection, TimeSpan retention)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _retention = retention;
    }

    public async Task<AcmeOrder> AddAsync(AcmeOrder order, IReadOnlyList<AcmeAuthorization> newAuthorizations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(newAuthorizations);
        var stored = order with { Version = 1 };
        List<RedisKey> keys =
        [
            RedisAcmeKeys.Order(stored.Id),
            RedisAcmeKeys.OrdersByAccount(stored.AccountId),
            RedisAcmeKeys.OrdersByExpiry,
            RedisAcmeKeys.AuthorizationsByExpiry,
            RedisAcmeKeys.AuthorizationsDue,
        ];
        List<RedisValue> values =
        [
            stored.Id,
            AcmeJson.Write(stored),
            stored.CreatedAt.ToUnixTimeMilliseconds(),
            stored.Expires.ToUnixTimeMilliseconds(),
            RedisAcmeStores.KeyExpiry(stored.Expires, _retention),
            stored.AccountId,
        ];
        foreach (var authorization in newAuthorizations)
        {
            var a = authorization with { Version = 1 };
            keys.Add(RedisAcmeKeys.Authorization(a.Id));
            keys.Add(RedisAcmeKeys.ReusableAuthorizations(a.AccountId, a.Identifier, a.Wildcard));
            values.Add(a.Id);
            values.Add(AcmeJson.Write(a));
            values.Add(a.Expires.ToUnixTimeMilliseconds());
            values.Add(a.ValidationDueAt is { } due ? (RedisValue)due.ToUnixTimeMilliseconds() : RedisValue.EmptyString);
            values.Add(a.Status == AuthorizationStatus.Valid ? "1" : "0");
            values.Add(RedisAcmeStores.KeyExpiry(a.Expires, _retention));
        }

        var outcome = (string?)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.AddOrder, [.. keys], [.. values]), cancellationToken).ConfigureAwait(false);
        return outcome == "ok" ? stored : throw PkiException.Conflict($"an order or authorization with that id exists ({outcome})");
    }

    public Task<AcmeOrder?> GetAsync(string id, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var values = await db.HashGetAsync(RedisAcmeKeys.Order(id), ["doc", "version"]).ConfigureAwait(false);
            return values[0].IsNull ? null : AcmeJson.Read<AcmeOrder>(values[0], "ACME order") with { Version = (long)values[1] };
        }, cancellationToken);

    public async Task<AcmeOrder?> TryUpdateAsync(AcmeOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var next = order with { Version = order.Version + 1 };
        var changed = (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.UpdateOrder, new
        {
            order = RedisAcmeKeys.Order(next.Id),
            ordersByExpiry = RedisAcmeKeys.OrdersByExpiry,
            id = next.Id,
            version = order.Version,
            next = next.Version,
            json = AcmeJson.Write(next),
            expires = next.Expires.ToUnixTimeMilliseconds(),
            pexpireAt = RedisAcmeStores.KeyExpiry(next.Expires, _retention),
        }), cancellationToken).ConfigureAwait(false);
        return changed == 1 ? next : null;
    }

    /// <summary>
    /// Walks the account's index from the cursor (score = created, ties in id order as the embedded store's
    /// <c>ORDER BY created_at, id</c>), skipping orders expired at <paramref name="now"/> or already dropped.
    /// </summary>
    public Task<OrderPage> ListByAccountAsync(string accountId, DateTimeOffset now, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var (afterCreated, afterId) = ParseCursor(cursor);
        var nowMs = now.ToUnixTimeMilliseconds();
        return _connection.ReadAsync(async db =>
        {
            var found = new List<(string Id, long Created)>();
            var index = RedisAcmeKeys.OrdersByAccount(accountId);
            double from = afterCreated == long.MinValue ? double.NegativeInfinity : afterCreated;
            long skip = 0;
            while (found.Count <= limit)
            {
                var batch = await db.SortedSetRangeByScoreWithScoresAsync(index, from, double.PositiveInfinity, Exclude.None, Order.Ascending, skip, ScanBatch).ConfigureAwait(false);
                if (batch.Length == 0)
                {
                    break;
                }

                skip += batch.Length;
                var candidates = batch
                    .Select(e => (Id: e.Element.ToString(), Created: (long)e.Score))
                    .Where(e => e.Created > afterCreated || (e.Created == afterCreated && string.CompareOrdinal(e.Id, afterId) > 0))
                    .ToList();
                var expiries = await Task.WhenAll(candidates.Select(c => db.HashGetAsync(RedisAcmeKeys.Order(c.Id), "expires"))).ConfigureAwait(false);
                for (var i = 0; i < candidates.Count && found.Count <= limit; i++)
                {
                    if (!expiries[i].IsNull && (long)expiries[i] > nowMs)
                    {
                        found.Add(candidates[i]);
                    }
                }

                if (batch.Length < ScanBatch)
                {
                    break;
                }
            }

            var page = found.Take(limit).ToList();
            var next = found.Count > limit ? string.Create(CultureInfo.InvariantCulture, $"{page[^1].Created}.{page[^1].Id}") : null;
            return new OrderPage([.. page.Select(r => r.Id)], next);
        }, cancellationToken);
    }

    /// <summary>The orders expired at or before <paramref name="now"/>, each removed with its indexes by one script that re-checks the expiry.</summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now.ToUnixTimeMilliseconds();
        var ids = await _connection.ReadAsync(db => db.SortedSetRangeByScoreAsync(RedisAcmeKeys.OrdersByExpiry, double.NegativeInfinity, before), cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var member in ids)
        {
            var id = member.ToString();
            var account = await _connection.ReadAsync(db => db.HashGetAsync(RedisAcmeKeys.Order(id), "account"), cancellationToken).ConfigureAwait(false);
            var byAccount = account.IsNull ? RedisAcmeKeys.OrdersByExpiry : RedisAcmeKeys.OrdersByAccount(account!);
            removed += (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.DeleteExpired, new
            {
                record = RedisAcmeKeys.Order(id),
                byExpiry = RedisAcmeKeys.OrdersByExpiry,
                extra1 = byAccount,
                extra2 = byAccount,
                id,
                before,
            }), cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    private static (long Created, string Id) ParseCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return (long.MinValue, string.Empty);
        }

        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && long.TryParse(cursor[..dot], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var created)
            ? (created, cursor[(dot + 1)..])
            : (long.MaxValue, string.Empty); // not a cursor this store wrote: an empty page
    }
}
