using System.Globalization;
using Microsoft.Data.Sqlite;
using PkiProtocolServer.Core.Revocation;

namespace PkiProtocolServer.Storage.Sqlite;

/// <summary>
/// Revocations in table <c>revocations</c>, keyed by serial. The sequence comes from the <c>counters</c> row
/// <c>revocation_seq</c>, incremented in the same write transaction, so it follows commit order across processes.
/// </summary>
public sealed class SqliteRevocationStore : IRevocationStore
{
    private const string Columns = "serial, issuer_id, revocation_seq, revoked_at, reason, invalidity_date, not_after, shard, certificate_der";

    private readonly SqliteDatabase _database;

    public SqliteRevocationStore(SqliteDatabase database)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
    }

    public Task<(RevocationEntry Entry, bool Added)> AddAsync(RevocationEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _database.WriteAsync(async (c, tx, ct) =>
        {
            var existing = await c.QuerySingleOrDefaultAsync(tx, $"SELECT {Columns} FROM revocations WHERE serial = @serial", Read, ct, ("@serial", entry.Serial)).ConfigureAwait(false);
            if (existing is not null)
            {
                return (existing, false);
            }

            using var next = c.Command(tx, "UPDATE counters SET value = value + 1 WHERE name = 'revocation_seq' RETURNING value");
            var sequence = Convert.ToInt64(await next.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
            var recorded = entry with { Sequence = sequence };
            await c.ExecuteAsync(tx,
                $"INSERT INTO revocations ({Columns}) VALUES (@serial, @issuer_id, @seq, @revoked_at, @reason, @invalidity_date, @not_after, @shard, @certificate_der)",
                ct,
                ("@serial", recorded.Serial),
                ("@issuer_id", recorded.IssuerId),
                ("@seq", sequence),
                ("@revoked_at", SqliteCommands.ToUnixMilliseconds(recorded.RevokedAt)),
                ("@reason", (int)recorded.Reason),
                ("@invalidity_date", recorded.InvalidityDate is { } d ? SqliteCommands.ToUnixMilliseconds(d) : null),
                ("@not_after", SqliteCommands.ToUnixMilliseconds(recorded.NotAfter)),
                ("@shard", recorded.Shard),
                ("@certificate_der", recorded.CertificateDer)).ConfigureAwait(false);
            return (recorded, true);
        }, _ => null, cancellationToken);
    }

    public Task<RevocationEntry?> GetAsync(string serial, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null, $"SELECT {Columns} FROM revocations WHERE serial = @serial", Read, ct, ("@serial", serial)), cancellationToken);

    public IAsyncEnumerable<RevocationEntry> StreamAsync(RevocationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (issuers, parameters) = InList("@i", query.IssuerIds);
        parameters.Add(("@after", query.AfterSequence));
        parameters.Add(("@upto", query.UpToSequence));
        parameters.Add(("@from", SqliteCommands.ToUnixMilliseconds(Clamp(query.NotAfterFrom))));
        var shard = string.Empty;
        if (query.Shard is { } s)
        {
            shard = " AND shard = @shard";
            parameters.Add(("@shard", s));
        }

        // The CRL needs neither the kept certificate nor an order: leaving both out keeps a million-row scan lean.
        return _database.StreamAsync(
            $"SELECT serial, issuer_id, revocation_seq, revoked_at, reason, invalidity_date, not_after, shard, NULL FROM revocations WHERE issuer_id IN ({issuers}) AND revocation_seq > @after AND revocation_seq <= @upto AND not_after >= @from{shard}",
            Read,
            [.. parameters],
            cancellationToken);
    }

    public async Task<IReadOnlyList<ShardWatermark>> WatermarksAsync(IReadOnlyCollection<string> issuerIds, CancellationToken cancellationToken)
    {
        var (issuers, parameters) = InList("@i", issuerIds);
        return await _database.ReadAsync((c, ct) => c.QueryAsync(null,
            $"SELECT shard, MAX(revocation_seq) FROM revocations WHERE issuer_id IN ({issuers}) GROUP BY shard",
            r => new ShardWatermark(r.IsDBNull(0) ? null : r.GetInt32(0), r.GetInt64(1)),
            ct,
            [.. parameters]), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RevocationEntry>> ListAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        await _database.ReadAsync((c, ct) => c.QueryAsync(null,
            $"SELECT {Columns} FROM revocations WHERE revocation_seq > @after ORDER BY revocation_seq LIMIT @limit",
            Read, ct, ("@after", afterSequence), ("@limit", limit)), cancellationToken).ConfigureAwait(false);

    public Task<int> DeleteExpiredAsync(DateTimeOffset notAfterBefore, int limit, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "DELETE FROM revocations WHERE serial IN (SELECT serial FROM revocations WHERE not_after < @before ORDER BY not_after LIMIT @limit)",
            ct,
            ("@before", SqliteCommands.ToUnixMilliseconds(notAfterBefore)),
            ("@limit", limit)), _ => null, cancellationToken);

    /// <summary>"@i0, @i1, ..." and their parameters; an empty list matches nothing.</summary>
    internal static (string Sql, List<(string Name, object? Value)> Parameters) InList(string prefix, IReadOnlyCollection<string> values)
    {
        if (values.Count == 0)
        {
            return ("NULL", []);
        }

        var parameters = values.Select((v, i) => (prefix + i.ToString(CultureInfo.InvariantCulture), (object?)v)).ToList();
        return (string.Join(", ", parameters.Select(p => p.Item1)), parameters);
    }

    private static DateTimeOffset Clamp(DateTimeOffset value) =>
        value < DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : value;

    private static RevocationEntry Read(SqliteDataReader r) => new()
    {
        Serial = r.GetString(0),
        IssuerId = r.GetString(1),
        Sequence = r.GetInt64(2),
        RevokedAt = r.GetTimestamp(3),
        Reason = (RevocationReason)r.GetInt32(4),
        InvalidityDate = r.IsDBNull(5) ? null : r.GetTimestamp(5),
        NotAfter = r.GetTimestamp(6),
        Shard = r.IsDBNull(7) ? null : r.GetInt32(7),
        CertificateDer = r.IsDBNull(8) ? null : r.GetBytes(8),
    };
}
