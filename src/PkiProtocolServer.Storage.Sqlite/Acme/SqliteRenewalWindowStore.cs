using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Storage.Sqlite.Acme;

/// <summary>Operator-set renewal windows in <c>acme_renewal_windows</c>, one row per scope and target (schema migration 5).</summary>
public sealed class SqliteRenewalWindowStore : IRenewalWindowStore
{
    private readonly SqliteDatabase _database;

    public SqliteRenewalWindowStore(SqliteDatabase database)
    {
        _database = database;
    }

    public Task SetAsync(RenewalWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        return _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            """
            INSERT INTO acme_renewal_windows (scope, target, document, updated_at) VALUES (@scope, @target, @document, @updated_at)
            ON CONFLICT (scope, target) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
            """,
            ct,
            ("@scope", ScopeName(window.Scope)),
            ("@target", window.Target),
            ("@document", AcmeDocumentJson.Serialize(window)),
            ("@updated_at", window.SetAt.ToUnixTimeMilliseconds())), _ => null, cancellationToken);
    }

    public Task<RenewalWindow?> GetAsync(RenewalWindowScope scope, string target, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            "SELECT document FROM acme_renewal_windows WHERE scope = @scope AND target = @target",
            r => AcmeDocumentJson.Deserialize<RenewalWindow>(r.GetString(0)), ct, ("@scope", ScopeName(scope)), ("@target", target)), cancellationToken);

    public async Task<IReadOnlyList<RenewalWindow>> ListAsync(CancellationToken cancellationToken) =>
        await _database.ReadAsync((c, ct) => c.QueryAsync(null,
            "SELECT document FROM acme_renewal_windows ORDER BY CASE scope WHEN 'certificate' THEN 0 WHEN 'role' THEN 1 ELSE 2 END, target",
            r => AcmeDocumentJson.Deserialize<RenewalWindow>(r.GetString(0)), ct), cancellationToken).ConfigureAwait(false);

    public async Task<bool> DeleteAsync(RenewalWindowScope scope, string target, CancellationToken cancellationToken) =>
        await _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "DELETE FROM acme_renewal_windows WHERE scope = @scope AND target = @target",
            ct, ("@scope", ScopeName(scope)), ("@target", target)), _ => null, cancellationToken).ConfigureAwait(false) > 0;

    private static string ScopeName(RenewalWindowScope scope) => scope.ToString().ToLowerInvariant();
}
