using System.Globalization;
using Microsoft.Data.Sqlite;
using PkiProtocolServer.Core.Revocation.Crl;

namespace PkiProtocolServer.Storage.Sqlite;

/// <summary>
/// CRL numbers (one <c>counters</c> row per issuer, <c>crl_number:{issuer}</c>) and the last published CRL of each
/// slot in <c>published_crls</c>; an upsert that only replaces a lower number keeps publication monotonic.
/// </summary>
public sealed class SqliteCrlStore : ICrlStore
{
    private const string InfoColumns = "issuer_id, shard_key, is_delta, crl_number, base_crl_number, this_update, next_update, max_seq, entry_count";

    private readonly SqliteDatabase _database;

    public SqliteCrlStore(SqliteDatabase database)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
    }

    public Task<long> NextNumberAsync(string issuerId, CancellationToken cancellationToken) =>
        _database.WriteAsync(async (c, tx, ct) =>
        {
            using var command = c.Command(tx,
                "INSERT INTO counters (name, value) VALUES (@name, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
                ("@name", "crl_number:" + issuerId));
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }, _ => null, cancellationToken);

    public Task<bool> PublishAsync(PublishedCrl crl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(crl);
        var info = crl.Info;
        return _database.WriteAsync(async (c, tx, ct) => await c.ExecuteAsync(tx,
            $"""
            INSERT INTO published_crls ({InfoColumns}, der) VALUES (@issuer_id, @shard_key, @is_delta, @number, @base, @this_update, @next_update, @max_seq, @entry_count, @der)
            ON CONFLICT (issuer_id, shard_key, is_delta) DO UPDATE SET
                crl_number = excluded.crl_number, base_crl_number = excluded.base_crl_number, this_update = excluded.this_update,
                next_update = excluded.next_update, max_seq = excluded.max_seq, entry_count = excluded.entry_count, der = excluded.der
            WHERE published_crls.crl_number < excluded.crl_number
            """,
            ct,
            ("@issuer_id", info.IssuerId),
            ("@shard_key", ShardKey(info.Shard)),
            ("@is_delta", info.IsDelta ? 1 : 0),
            ("@number", info.Number),
            ("@base", info.BaseNumber),
            ("@this_update", SqliteCommands.ToUnixMilliseconds(info.ThisUpdate)),
            ("@next_update", SqliteCommands.ToUnixMilliseconds(info.NextUpdate)),
            ("@max_seq", info.MaxSequence),
            ("@entry_count", info.EntryCount),
            ("@der", crl.Der)).ConfigureAwait(false) == 1, _ => null, cancellationToken);
    }

    public Task<PublishedCrl?> GetAsync(string issuerId, int? shard, bool delta, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            $"SELECT {InfoColumns}, der FROM published_crls WHERE issuer_id = @issuer_id AND shard_key = @shard_key AND is_delta = @is_delta",
            r => new PublishedCrl(ReadInfo(r), r.GetBytes(9)),
            ct,
            ("@issuer_id", issuerId), ("@shard_key", ShardKey(shard)), ("@is_delta", delta ? 1 : 0)), cancellationToken);

    public Task<CrlInfo?> GetInfoAsync(string issuerId, int? shard, bool delta, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            $"SELECT {InfoColumns} FROM published_crls WHERE issuer_id = @issuer_id AND shard_key = @shard_key AND is_delta = @is_delta",
            ReadInfo,
            ct,
            ("@issuer_id", issuerId), ("@shard_key", ShardKey(shard)), ("@is_delta", delta ? 1 : 0)), cancellationToken);

    public async Task<IReadOnlyList<CrlInfo>> ListAsync(string issuerId, CancellationToken cancellationToken) =>
        await _database.ReadAsync((c, ct) => c.QueryAsync(null,
            $"SELECT {InfoColumns} FROM published_crls WHERE issuer_id = @issuer_id ORDER BY shard_key, is_delta",
            ReadInfo, ct, ("@issuer_id", issuerId)), cancellationToken).ConfigureAwait(false);

    private static int ShardKey(int? shard) => shard ?? -1;

    private static CrlInfo ReadInfo(SqliteDataReader r) => new()
    {
        IssuerId = r.GetString(0),
        Shard = r.GetInt32(1) < 0 ? null : r.GetInt32(1),
        IsDelta = r.GetInt32(2) == 1,
        Number = r.GetInt64(3),
        BaseNumber = r.IsDBNull(4) ? null : r.GetInt64(4),
        ThisUpdate = r.GetTimestamp(5),
        NextUpdate = r.GetTimestamp(6),
        MaxSequence = r.GetInt64(7),
        EntryCount = r.GetInt64(8),
    };
}
