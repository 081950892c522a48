using Microsoft.Data.Sqlite;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Storage.Sqlite.Acme;

/// <summary>
/// ACME authorizations with their challenges in <c>acme_authorizations</c>: the document plus the columns that reuse
/// (account, identifier, status, expiry) and the validator (<c>validation_due_at</c>) query.
/// </summary>
public sealed class SqliteAuthorizationStore : IAuthorizationStore
{
    private readonly SqliteDatabase _database;

    public SqliteAuthorizationStore(SqliteDatabase database)
    {
        _database = database;
    }

    public Task<AcmeAuthorization> AddAsync(AcmeAuthorization authorization, CancellationToken cancellationToken)
    {
        var stored = authorization with { Version = 1 };
        return _database.WriteAsync(async (c, tx, ct) =>
        {
            await InsertAsync(c, tx, stored, ct).ConfigureAwait(false);
            return stored;
        }, column => column is null ? null : $"an authorization with that id exists ({column})", cancellationToken);
    }

    public Task<AcmeAuthorization?> GetAsync(string id, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            "SELECT document, version FROM acme_authorizations WHERE id = @id", Read, ct, ("@id", id)), cancellationToken);

    public async Task<IReadOnlyList<AcmeAuthorization>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var names = ids.Select((_, i) => "@id" + i).ToList();
        var parameters = ids.Select((id, i) => ("@id" + i, (object?)id)).ToArray();
        return await _database.ReadAsync((c, ct) => c.QueryAsync(null,
            $"SELECT document, version FROM acme_authorizations WHERE id IN ({string.Join(", ", names)})", Read, ct, parameters), cancellationToken).ConfigureAwait(false);
    }

    public Task<AcmeAuthorization?> FindReusableAsync(string accountId, AcmeIdentifier identifier, bool wildcard, DateTimeOffset validUntil, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            """
            SELECT document, version FROM acme_authorizations
            WHERE account_id = @account AND identifier_type = @type AND identifier_value = @value AND wildcard = @wildcard
              AND status = 'valid' AND expires_at >= @valid_until
            ORDER BY expires_at DESC
            LIMIT 1
            """,
            Read,
            ct,
            ("@account", accountId),
            ("@type", identifier.Type),
            ("@value", identifier.Value),
            ("@wildcard", wildcard ? 1 : 0),
            ("@valid_until", validUntil.ToUnixTimeMilliseconds())), cancellationToken);

    public Task<AcmeAuthorization?> TryUpdateAsync(AcmeAuthorization authorization, CancellationToken cancellationToken)
    {
        var next = authorization with { Version = authorization.Version + 1 };
        return _database.WriteAsync(async (c, tx, ct) =>
        {
            var changed = await c.ExecuteAsync(tx,
                """
                UPDATE acme_authorizations
                SET status = @status, version = @next, document = @document, expires_at = @expires_at, validation_due_at = @due
                WHERE id = @id AND version = @version
                """,
                ct,
                ("@status", StatusNames.Wire(next.Status)),
                ("@next", next.Version),
                ("@document", AcmeDocumentJson.Serialize(next)),
                ("@expires_at", next.Expires.ToUnixTimeMilliseconds()),
                ("@due", next.ValidationDueAt?.ToUnixTimeMilliseconds()),
                ("@id", next.Id),
                ("@version", authorization.Version)).ConfigureAwait(false);
            return changed == 1 ? next : null;
        }, _ => null, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListDueValidationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await _database.ReadAsync((c, ct) => c.QueryAsync(null,
            "SELECT id FROM acme_authorizations WHERE validation_due_at <= @now ORDER BY validation_due_at LIMIT @limit",
            r => r.GetString(0), ct, ("@now", now.ToUnixTimeMilliseconds()), ("@limit", limit)), cancellationToken).ConfigureAwait(false);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx, "DELETE FROM acme_authorizations WHERE expires_at <= @now", ct, ("@now", now.ToUnixTimeMilliseconds())), _ => null, cancellationToken);

    internal static Task<int> InsertAsync(SqliteConnection c, SqliteTransaction tx, AcmeAuthorization authorization, CancellationToken ct) =>
        c.ExecuteAsync(tx,
            """
            INSERT INTO acme_authorizations (id, account_id, identifier_type, identifier_value, wildcard, status, version, document, expires_at, validation_due_at)
            VALUES (@id, @account, @type, @value, @wildcard, @status, @version, @document, @expires_at, @due)
            """,
            ct,
            ("@id", authorization.Id),
            ("@account", authorization.AccountId),
            ("@type", authorization.Identifier.Type),
            ("@value", authorization.Identifier.Value),
            ("@wildcard", authorization.Wildcard ? 1 : 0),
            ("@status", StatusNames.Wire(authorization.Status)),
            ("@version", authorization.Version),
            ("@document", AcmeDocumentJson.Serialize(authorization)),
            ("@expires_at", authorization.Expires.ToUnixTimeMilliseconds()),
            ("@due", authorization.ValidationDueAt?.ToUnixTimeMilliseconds()));

    private static AcmeAuthorization Read(SqliteDataReader reader) =>
        AcmeDocumentJson.Deserialize<AcmeAuthorization>(reader.GetString(0)) with { Version = reader.GetInt64(1) };
}
