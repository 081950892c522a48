using Microsoft.Data.Sqlite;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Storage.Sqlite.Documents;

namespace PkiProtocolServer.Storage.Sqlite;

/// <summary>
/// Issued certificates in table <c>issued_certificates</c>, keyed by serial; <c>issuer_id</c> (CRLs),
/// <c>not_after</c> (tidy) and <c>issued_at</c> are indexed columns.
/// </summary>
public sealed class SqliteCertificateStore : ICertificateStore
{
    private const string Columns = "serial, issuer_id, role, common_name, subject_alt_names, not_before, not_after, certificate_der, issued_at";

    private const string InsertSql =
        $"INSERT INTO issued_certificates ({Columns}) VALUES (@serial, @issuer_id, @role, @common_name, @subject_alt_names, @not_before, @not_after, @certificate_der, @issued_at)";

    private readonly SqliteDatabase _database;

    public SqliteCertificateStore(SqliteDatabase database)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
    }

    public Task AddAsync(IssuedCertificate certificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var sans = StoreJson.Write([.. certificate.SubjectAlternativeNames], StoreJsonContext.Default.ListString);
        return _database.WriteAsync(
            async (c, tx, ct) =>
            {
                // The statement of every issuance: kept prepared on the writer connection.
                var command = _database.PreparedWriterCommand(c, tx, InsertSql);
                var p = command.Parameters;
                p.AddWithValue("@serial", certificate.Serial);
                p.AddWithValue("@issuer_id", certificate.IssuerId);
                p.AddWithValue("@role", (object?)certificate.Role ?? DBNull.Value);
                p.AddWithValue("@common_name", (object?)certificate.CommonName ?? DBNull.Value);
                p.AddWithValue("@subject_alt_names", sans);
                p.AddWithValue("@not_before", SqliteCommands.ToUnixMilliseconds(certificate.NotBefore));
                p.AddWithValue("@not_after", SqliteCommands.ToUnixMilliseconds(certificate.NotAfter));
                p.AddWithValue("@certificate_der", certificate.CertificateDer);
                p.AddWithValue("@issued_at", SqliteCommands.ToUnixMilliseconds(certificate.IssuedAt));
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            column => column == "issued_certificates.serial"
                ? $"a certificate with serial {certificate.Serial} is already recorded; serials are never reused"
                : null,
            cancellationToken);
    }

    public Task<IssuedCertificate?> GetAsync(string serial, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            $"SELECT {Columns} FROM issued_certificates WHERE serial = @serial", Read, ct, ("@serial", serial)), cancellationToken);

    public async Task<IReadOnlyList<IssuedCertificate>> ListAsync(string? afterSerial, int limit, CancellationToken cancellationToken)
    {
        if (limit < 1)
        {
            throw PkiException.Malformed($"a page limit must be at least 1 (was {limit})");
        }

        // Two statements rather than "@after IS NULL OR ...": keeps the index range scan and avoids an untyped null parameter on PostgreSQL.
        return await _database.ReadAsync((c, ct) => afterSerial is null
            ? c.QueryAsync(null, $"SELECT {Columns} FROM issued_certificates ORDER BY serial LIMIT @limit", Read, ct, ("@limit", limit))
            : c.QueryAsync(null, $"SELECT {Columns} FROM issued_certificates WHERE serial > @after ORDER BY serial LIMIT @limit", Read, ct,
                ("@after", afterSerial), ("@limit", limit)), cancellationToken).ConfigureAwait(false);
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset notAfterBefore, int limit, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "DELETE FROM issued_certificates WHERE serial IN (SELECT serial FROM issued_certificates WHERE not_after < @before ORDER BY not_after LIMIT @limit)",
            ct,
            ("@before", SqliteCommands.ToUnixMilliseconds(notAfterBefore)),
            ("@limit", limit)), _ => null, cancellationToken);

    private static IssuedCertificate Read(SqliteDataReader r) => new()
    {
        Serial = r.GetString(0),
        IssuerId = r.GetString(1),
        Role = r.GetNullableString(2),
        CommonName = r.GetNullableString(3),
        SubjectAlternativeNames = StoreJson.Read(r.GetString(4), StoreJsonContext.Default.ListString, "subject alternative names"),
        NotBefore = r.GetTimestamp(5),
        NotAfter = r.GetTimestamp(6),
        CertificateDer = r.GetBytes(7),
        IssuedAt = r.GetTimestamp(8),
    };
}
