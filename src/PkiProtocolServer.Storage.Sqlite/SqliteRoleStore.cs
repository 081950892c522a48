using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Storage.Sqlite.Documents;

namespace PkiProtocolServer.Storage.Sqlite;

/// <summary>Roles in table <c>roles</c>: the name as key, the whole role as one JSON document.</summary>
public sealed class SqliteRoleStore : IRoleStore
{
    private readonly SqliteDatabase _database;

    public SqliteRoleStore(SqliteDatabase database)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
    }

    public Task<Role?> GetAsync(string name, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            "SELECT document FROM roles WHERE name = @name", r => ReadRole(r.GetString(0)), ct, ("@name", name)), cancellationToken);

    public async Task<IReadOnlyList<Role>> ListAsync(CancellationToken cancellationToken) =>
        await _database.ReadAsync((c, ct) => c.QueryAsync(null,
            "SELECT document FROM roles ORDER BY name", r => ReadRole(r.GetString(0)), ct), cancellationToken).ConfigureAwait(false);

    public Task PutAsync(Role role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        var document = StoreJson.Write(RoleDocument.From(role), StoreJsonContext.Default.RoleDocument);
        // Portable upsert: INSERT ... ON CONFLICT DO UPDATE runs unchanged on PostgreSQL (no INSERT OR REPLACE).
        return _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "INSERT INTO roles (name, document) VALUES (@name, @document) ON CONFLICT (name) DO UPDATE SET document = excluded.document",
            ct, ("@name", role.Name), ("@document", document)), _ => null, cancellationToken);
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        _database.WriteAsync(async (c, tx, ct) =>
            await c.ExecuteAsync(tx, "DELETE FROM roles WHERE name = @name", ct, ("@name", name)).ConfigureAwait(false) > 0,
            _ => null, cancellationToken);

    private static Role ReadRole(string json) =>
        StoreJson.Read(json, StoreJsonContext.Default.RoleDocument, "role").ToRole();
}
