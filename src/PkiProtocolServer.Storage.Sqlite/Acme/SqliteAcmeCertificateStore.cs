using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Storage.Sqlite.Acme;

/// <summary>Certificates for ACME download in <c>acme_certificates</c>, kept until their NotAfter.</summary>
public sealed class SqliteAcmeCertificateStore : IAcmeCertificateStore
{
    private readonly SqliteDatabase _database;

    public SqliteAcmeCertificateStore(SqliteDatabase database)
    {
        _database = database;
    }

    public Task AddAsync(AcmeCertificate certificate, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "INSERT INTO acme_certificates (id, account_id, serial, document, expires_at) VALUES (@id, @account, @serial, @document, @expires_at)",
            ct,
            ("@id", certificate.Id),
            ("@account", certificate.AccountId),
            ("@serial", certificate.Serial),
            ("@document", AcmeDocumentJson.Serialize(certificate)),
            ("@expires_at", certificate.NotAfter.ToUnixTimeMilliseconds())), _ => "a certificate with that id exists", cancellationToken);

    public Task<AcmeCertificate?> GetAsync(string id, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            "SELECT document FROM acme_certificates WHERE id = @id",
            r => AcmeDocumentJson.Deserialize<AcmeCertificate>(r.GetString(0)), ct, ("@id", id)), cancellationToken);

    public Task<AcmeCertificate?> FindBySerialAsync(string serial, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            "SELECT document FROM acme_certificates WHERE serial = @serial LIMIT 1",
            r => AcmeDocumentJson.Deserialize<AcmeCertificate>(r.GetString(0)), ct, ("@serial", serial)), cancellationToken);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx, "DELETE FROM acme_certificates WHERE expires_at <= @now", ct, ("@now", now.ToUnixTimeMilliseconds())), _ => null, cancellationToken);
}
