using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Storage.Sqlite.Acme;

/// <summary>Replacement claims in <c>acme_replacements</c>: taken and handed over by one conditional statement each (schema migration 5).</summary>
public sealed class SqliteCertificateReplacementStore : ICertificateReplacementStore
{
    private readonly SqliteDatabase _database;

    public SqliteCertificateReplacementStore(SqliteDatabase database)
    {
        _database = database;
    }

    public Task<CertificateReplacement?> GetAsync(string certificateId, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            "SELECT certificate_id, order_id, completed, claimed_at, expires_at FROM acme_replacements WHERE certificate_id = @id",
            r => new CertificateReplacement(r.GetString(0), r.GetString(1), r.GetInt64(2) != 0, r.GetTimestamp(3), r.GetTimestamp(4)), ct, ("@id", certificateId)), cancellationToken);

    public async Task<bool> TryClaimAsync(string certificateId, string orderId, string? expectedOrderId, DateTimeOffset claimedAt, DateTimeOffset expires, CancellationToken cancellationToken) =>
        await _database.WriteAsync((c, tx, ct) => expectedOrderId is null
            ? c.ExecuteAsync(tx,
                "INSERT INTO acme_replacements (certificate_id, order_id, completed, claimed_at, expires_at) VALUES (@id, @order, 0, @claimed_at, @expires_at) ON CONFLICT (certificate_id) DO NOTHING",
                ct, ("@id", certificateId), ("@order", orderId), ("@claimed_at", claimedAt.ToUnixTimeMilliseconds()), ("@expires_at", expires.ToUnixTimeMilliseconds()))
            : c.ExecuteAsync(tx,
                "UPDATE acme_replacements SET order_id = @order, claimed_at = @claimed_at WHERE certificate_id = @id AND order_id = @expected AND completed = 0",
                ct, ("@id", certificateId), ("@order", orderId), ("@claimed_at", claimedAt.ToUnixTimeMilliseconds()), ("@expected", expectedOrderId)), _ => null, cancellationToken).ConfigureAwait(false) == 1;

    public async Task<bool> CompleteAsync(string certificateId, string orderId, CancellationToken cancellationToken) =>
        await _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "UPDATE acme_replacements SET completed = 1 WHERE certificate_id = @id AND order_id = @order",
            ct, ("@id", certificateId), ("@order", orderId)), _ => null, cancellationToken).ConfigureAwait(false) == 1;

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx, "DELETE FROM acme_replacements WHERE expires_at <= @now", ct, ("@now", now.ToUnixTimeMilliseconds())), _ => null, cancellationToken);
}
