using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Storage.Sqlite.Acme;

/// <summary>External Account Binding keys in <c>acme_external_account_keys</c>; binding is done by <see cref="SqliteAccountStore"/>.</summary>
public sealed class SqliteExternalAccountKeyStore : IExternalAccountKeyStore
{
    private readonly SqliteDatabase _database;

    public SqliteExternalAccountKeyStore(SqliteDatabase database)
    {
        _database = database;
    }

    public Task AddAsync(ExternalAccountKey key, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "INSERT INTO acme_external_account_keys (id, profile, document, created_at, expires_at, bound_account_id) VALUES (@id, @profile, @document, @created_at, @expires_at, @bound)",
            ct,
            ("@id", key.Id),
            ("@profile", key.Directory),
            ("@document", AcmeDocumentJson.Serialize(key)),
            ("@created_at", key.CreatedAt.ToUnixTimeMilliseconds()),
            ("@expires_at", key.ExpiresAt?.ToUnixTimeMilliseconds()),
            ("@bound", key.BoundAccountId)), _ => "an external account key with that id exists", cancellationToken);

    public Task<ExternalAccountKey?> GetAsync(string id, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            "SELECT document FROM acme_external_account_keys WHERE id = @id",
            r => AcmeDocumentJson.Deserialize<ExternalAccountKey>(r.GetString(0)), ct, ("@id", id)), cancellationToken);

    public async Task<IReadOnlyList<ExternalAccountKey>> ListAsync(string? directory, CancellationToken cancellationToken) =>
        await _database.ReadAsync((c, ct) => c.QueryAsync(null,
            "SELECT document FROM acme_external_account_keys WHERE @profile IS NULL OR profile = @profile ORDER BY created_at, id",
            r => AcmeDocumentJson.Deserialize<ExternalAccountKey>(r.GetString(0)), ct, ("@profile", directory)), cancellationToken).ConfigureAwait(false);

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        await _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "DELETE FROM acme_external_account_keys WHERE id = @id", ct, ("@id", id)), _ => null, cancellationToken).ConfigureAwait(false) > 0;

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "DELETE FROM acme_external_account_keys WHERE bound_account_id IS NULL AND expires_at <= @now",
            ct, ("@now", now.ToUnixTimeMilliseconds())), _ => null, cancellationToken);
}
