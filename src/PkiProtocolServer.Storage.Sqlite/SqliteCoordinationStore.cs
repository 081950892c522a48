using Microsoft.Data.Sqlite;
using PkiProtocolServer.Core.Coordination;

namespace PkiProtocolServer.Storage.Sqlite;

/// <summary>
/// Leases and status documents in tables <c>leases</c> and <c>status_documents</c>. A lease is taken by one
/// conditional upsert, so two processes on one data directory never both hold it; expiry is judged by the
/// caller's clock, which on one machine is the same clock.
/// </summary>
public sealed class SqliteCoordinationStore : ICoordinationStore
{
    private readonly SqliteDatabase _database;

    public SqliteCoordinationStore(SqliteDatabase database)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
    }

    public Task<bool> TryAcquireLeaseAsync(string name, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken) =>
        _database.WriteAsync(async (c, tx, ct) => await c.ExecuteAsync(tx,
            """
            INSERT INTO leases (name, owner, expires_at) VALUES (@name, @owner, @expires)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE leases.owner = excluded.owner OR leases.expires_at <= @now
            """,
            ct,
            ("@name", name),
            ("@owner", owner),
            ("@expires", SqliteCommands.ToUnixMilliseconds(now + duration)),
            ("@now", SqliteCommands.ToUnixMilliseconds(now))).ConfigureAwait(false) == 1, _ => null, cancellationToken);

    public Task ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx, "DELETE FROM leases WHERE name = @name AND owner = @owner", ct, ("@name", name), ("@owner", owner)), _ => null, cancellationToken);

    public Task<StatusDocument?> GetStatusAsync(string name, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            "SELECT name, document, updated_at FROM status_documents WHERE name = @name",
            (SqliteDataReader r) => new StatusDocument(r.GetString(0), r.GetString(1), r.GetTimestamp(2)),
            ct, ("@name", name)), cancellationToken);

    public Task SetStatusAsync(StatusDocument status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        return _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "INSERT INTO status_documents (name, document, updated_at) VALUES (@name, @document, @updated_at) ON CONFLICT (name) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at",
            ct,
            ("@name", status.Name),
            ("@document", status.Json),
            ("@updated_at", SqliteCommands.ToUnixMilliseconds(status.UpdatedAt))), _ => null, cancellationToken);
    }
}
