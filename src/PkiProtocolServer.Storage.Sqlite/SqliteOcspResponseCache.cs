using Microsoft.Data.Sqlite;
using PkiProtocolServer.Core.Revocation.Ocsp;

namespace PkiProtocolServer.Storage.Sqlite;

/// <summary>Pre-signed OCSP responses in table <c>ocsp_responses</c>: the embedded stand-in for the Redis hot state, shared by processes on one data directory.</summary>
public sealed class SqliteOcspResponseCache : IOcspResponseCache
{
    private const string Columns = "cert_id_key, cert_id, issuer_id, serial, status, this_update, next_update, refresh_at, response_der";

    private readonly SqliteDatabase _database;

    public SqliteOcspResponseCache(SqliteDatabase database)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
    }

    public Task<CachedOcspResponse?> GetAsync(string key, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null, $"SELECT {Columns} FROM ocsp_responses WHERE cert_id_key = @key", Read, ct, ("@key", key)), cancellationToken);

    public Task PutAsync(CachedOcspResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        return _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            $"""
            INSERT INTO ocsp_responses ({Columns}) VALUES (@key, @cert_id, @issuer_id, @serial, @status, @this_update, @next_update, @refresh_at, @der)
            ON CONFLICT (cert_id_key) DO UPDATE SET cert_id = excluded.cert_id, issuer_id = excluded.issuer_id, serial = excluded.serial, status = excluded.status,
                this_update = excluded.this_update, next_update = excluded.next_update, refresh_at = excluded.refresh_at, response_der = excluded.response_der
            """,
            ct,
            ("@key", response.Key),
            ("@cert_id", response.CertIdDer),
            ("@issuer_id", response.IssuerId),
            ("@serial", response.Serial),
            ("@status", (int)response.Status),
            ("@this_update", SqliteCommands.ToUnixMilliseconds(response.ThisUpdate)),
            ("@next_update", SqliteCommands.ToUnixMilliseconds(response.NextUpdate)),
            ("@refresh_at", SqliteCommands.ToUnixMilliseconds(response.RefreshAt)),
            ("@der", response.ResponseDer)), _ => null, cancellationToken);
    }

    public Task<int> RemoveSerialAsync(string serial, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx, "DELETE FROM ocsp_responses WHERE serial = @serial", ct, ("@serial", serial)), _ => null, cancellationToken);

    public async Task<IReadOnlyList<CachedOcspResponse>> ListRefreshDueAsync(DateTimeOffset dueBy, int limit, CancellationToken cancellationToken) =>
        await _database.ReadAsync((c, ct) => c.QueryAsync(null,
            $"SELECT {Columns} FROM ocsp_responses WHERE refresh_at <= @due ORDER BY refresh_at LIMIT @limit",
            Read, ct, ("@due", SqliteCommands.ToUnixMilliseconds(dueBy)), ("@limit", limit)), cancellationToken).ConfigureAwait(false);

    public Task<int> RemoveExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "DELETE FROM ocsp_responses WHERE cert_id_key IN (SELECT cert_id_key FROM ocsp_responses WHERE next_update < @now ORDER BY next_update LIMIT @limit)",
            ct, ("@now", SqliteCommands.ToUnixMilliseconds(now)), ("@limit", limit)), _ => null, cancellationToken);

    private static CachedOcspResponse Read(SqliteDataReader r) => new()
    {
        Key = r.GetString(0),
        CertIdDer = r.GetBytes(1),
        IssuerId = r.GetString(2),
        Serial = r.GetString(3),
        Status = (OcspCertStatus)r.GetInt32(4),
        ThisUpdate = r.GetTimestamp(5),
        NextUpdate = r.GetTimestamp(6),
        RefreshAt = r.GetTimestamp(7),
        ResponseDer = r.GetBytes(8),
    };
}
