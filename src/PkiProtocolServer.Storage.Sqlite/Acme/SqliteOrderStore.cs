using System.Globalization;
using Microsoft.Data.Sqlite;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Storage.Sqlite.Acme;

/// <summary>ACME orders in <c>acme_orders</c>, created in one transaction with their new authorizations.</summary>
public sealed class SqliteOrderStore : IOrderStore
{
    private readonly SqliteDatabase _database;

    public SqliteOrderStore(SqliteDatabase database)
    {
        _database = database;
    }

    public Task<AcmeOrder> AddAsync(AcmeOrder order, IReadOnlyList<AcmeAuthorization> newAuthorizations, CancellationToken cancellationToken)
    {
        var stored = order with { Version = 1 };
        return _database.WriteAsync(async (c, tx, ct) =>
        {
            foreach (var authorization in newAuthorizations)
            {
                await SqliteAuthorizationStore.InsertAsync(c, tx, authorization with { Version = 1 }, ct).ConfigureAwait(false);
            }

            await c.ExecuteAsync(tx,
                "INSERT INTO acme_orders (id, account_id, version, document, created_at, expires_at) VALUES (@id, @account, 1, @document, @created_at, @expires_at)",
                ct,
                ("@id", stored.Id),
                ("@account", stored.AccountId),
                ("@document", AcmeDocumentJson.Serialize(stored)),
                ("@created_at", stored.CreatedAt.ToUnixTimeMilliseconds()),
                ("@expires_at", stored.Expires.ToUnixTimeMilliseconds())).ConfigureAwait(false);
            return stored;
        }, column => column is null ? null : $"an order or authorization with that id exists ({column})", cancellationToken);
    }

    public Task<AcmeOrder?> GetAsync(string id, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            "SELECT document, version FROM acme_orders WHERE id = @id", Read, ct, ("@id", id)), cancellationToken);

    public Task<AcmeOrder?> TryUpdateAsync(AcmeOrder order, CancellationToken cancellationToken)
    {
        var next = order with { Version = order.Version + 1 };
        return _database.WriteAsync(async (c, tx, ct) =>
        {
            var changed = await c.ExecuteAsync(tx,
                "UPDATE acme_orders SET version = @next, document = @document, expires_at = @expires_at WHERE id = @id AND version = @version",
                ct,
                ("@next", next.Version),
                ("@document", AcmeDocumentJson.Serialize(next)),
                ("@expires_at", next.Expires.ToUnixTimeMilliseconds()),
                ("@id", next.Id),
                ("@version", order.Version)).ConfigureAwait(false);
            return changed == 1 ? next : null;
        }, _ => null, cancellationToken);
    }

    public Task<OrderPage> ListByAccountAsync(string accountId, DateTimeOffset now, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var (afterCreated, afterId) = ParseCursor(cursor);
        return _database.ReadAsync(async (c, ct) =>
        {
            var rows = await c.QueryAsync(null,
                """
                SELECT id, created_at FROM acme_orders
                WHERE account_id = @account AND expires_at > @now AND (created_at > @after_created OR (created_at = @after_created AND id > @after_id))
                ORDER BY created_at, id
                LIMIT @limit
                """,
                r => (Id: r.GetString(0), Created: r.GetInt64(1)),
                ct,
                ("@account", accountId),
                ("@now", now.ToUnixTimeMilliseconds()),
                ("@after_created", afterCreated),
                ("@after_id", afterId),
                ("@limit", limit + 1)).ConfigureAwait(false);
            var page = rows.Take(limit).ToList();
            var next = rows.Count > limit ? string.Create(CultureInfo.InvariantCulture, $"{page[^1].Created}.{page[^1].Id}") : null;
            return new OrderPage(page.Select(r => r.Id).ToList(), next);
        }, cancellationToken);
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx, "DELETE FROM acme_orders WHERE expires_at <= @now", ct, ("@now", now.ToUnixTimeMilliseconds())), _ => null, cancellationToken);

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

    private static AcmeOrder Read(SqliteDataReader reader) =>
        AcmeDocumentJson.Deserialize<AcmeOrder>(reader.GetString(0)) with { Version = reader.GetInt64(1) };
}
