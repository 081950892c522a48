using Microsoft.Data.Sqlite;
using PkiProtocolServer.Est.Users;

namespace PkiProtocolServer.Storage.Sqlite;

/// <summary>EST password users in table <c>est_users</c>, keyed by (label, name). Only password hashes are stored.</summary>
public sealed class SqliteEstUserStore : IEstUserStore
{
    private const string Columns = "label, name, password_hash, one_time, created_at, created_by, expires_at, consumed_at, consumed_for";

    private readonly SqliteDatabase _database;

    public SqliteEstUserStore(SqliteDatabase database)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
    }

    public Task AddAsync(EstUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            $"INSERT INTO est_users ({Columns}) VALUES (@label, @name, @password_hash, @one_time, @created_at, @created_by, @expires_at, @consumed_at, @consumed_for)",
            ct,
            ("@label", user.Label),
            ("@name", user.Name),
            ("@password_hash", user.PasswordHash),
            ("@one_time", user.OneTime ? 1 : 0),
            ("@created_at", SqliteCommands.ToUnixMilliseconds(user.CreatedAt)),
            ("@created_by", user.CreatedBy),
            ("@expires_at", user.ExpiresAt is { } expires ? SqliteCommands.ToUnixMilliseconds(expires) : null),
            ("@consumed_at", user.ConsumedAt is { } consumed ? SqliteCommands.ToUnixMilliseconds(consumed) : null),
            ("@consumed_for", user.ConsumedFor)),
            _ => $"label {(user.Label.Length == 0 ? "default" : user.Label)} already has a user '{user.Name}'",
            cancellationToken);
    }

    public Task<EstUser?> GetAsync(string label, string name, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            $"SELECT {Columns} FROM est_users WHERE label = @label AND name = @name", Read, ct, ("@label", label), ("@name", name)), cancellationToken);

    public async Task<IReadOnlyList<EstUser>> ListAsync(string label, CancellationToken cancellationToken) =>
        await _database.ReadAsync((c, ct) => c.QueryAsync(null,
            $"SELECT {Columns} FROM est_users WHERE label = @label ORDER BY name", Read, ct, ("@label", label)), cancellationToken).ConfigureAwait(false);

    public async Task<bool> DeleteAsync(string label, string name, CancellationToken cancellationToken) =>
        await _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "DELETE FROM est_users WHERE label = @label AND name = @name", ct, ("@label", label), ("@name", name)), _ => null, cancellationToken).ConfigureAwait(false) == 1;

    public async Task<bool> TryConsumeAsync(string label, string name, string requestHash, DateTimeOffset at, CancellationToken cancellationToken) =>
        // One conditional UPDATE: the row changes only if unused or already spent on this very request.
        await _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            """
            UPDATE est_users SET consumed_at = COALESCE(consumed_at, @at), consumed_for = @hash
            WHERE label = @label AND name = @name AND one_time = 1 AND (consumed_for IS NULL OR consumed_for = @hash)
            """,
            ct, ("@label", label), ("@name", name), ("@hash", requestHash), ("@at", SqliteCommands.ToUnixMilliseconds(at))), _ => null, cancellationToken).ConfigureAwait(false) == 1;

    private static EstUser Read(SqliteDataReader r) => new()
    {
        Label = r.GetString(0),
        Name = r.GetString(1),
        PasswordHash = r.GetString(2),
        OneTime = r.GetInt64(3) == 1,
        CreatedAt = r.GetTimestamp(4),
        CreatedBy = r.GetString(5),
        ExpiresAt = r.IsDBNull(6) ? null : r.GetTimestamp(6),
        ConsumedAt = r.IsDBNull(7) ? null : r.GetTimestamp(7),
        ConsumedFor = r.GetNullableString(8),
    };
}
