using Microsoft.Data.Sqlite;
using PkiProtocolServer.Core.Revocation.Ocsp;

namespace PkiProtocolServer.Storage.Sqlite;

/// <summary>Delegated OCSP responders in table <c>ocsp_responders</c>; the current one of an issuer is the one created last.</summary>
public sealed class SqliteOcspResponderStore : IOcspResponderStore
{
    private const string Columns = "id, issuer_id, key_reference, certificate_der, not_before, not_after, created_at";

    private readonly SqliteDatabase _database;

    public SqliteOcspResponderStore(SqliteDatabase database)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
    }

    public Task AddAsync(OcspResponderRecord responder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(responder);
        return _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            $"INSERT INTO ocsp_responders ({Columns}) VALUES (@id, @issuer_id, @key_reference, @certificate_der, @not_before, @not_after, @created_at)",
            ct,
            ("@id", responder.Id),
            ("@issuer_id", responder.IssuerId),
            ("@key_reference", responder.KeyReference),
            ("@certificate_der", responder.CertificateDer),
            ("@not_before", SqliteCommands.ToUnixMilliseconds(responder.NotBefore)),
            ("@not_after", SqliteCommands.ToUnixMilliseconds(responder.NotAfter)),
            ("@created_at", SqliteCommands.ToUnixMilliseconds(responder.CreatedAt))),
            column => column == "ocsp_responders.id" ? $"a responder with id {responder.Id} is already recorded" : null,
            cancellationToken);
    }

    public Task<OcspResponderRecord?> GetCurrentAsync(string issuerId, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            $"SELECT {Columns} FROM ocsp_responders WHERE issuer_id = @issuer_id ORDER BY created_at DESC, not_after DESC LIMIT 1",
            Read, ct, ("@issuer_id", issuerId)), cancellationToken);

    public Task<IReadOnlyList<OcspResponderRecord>> DeleteExpiredAsync(DateTimeOffset notAfterBefore, CancellationToken cancellationToken) =>
        _database.WriteAsync<IReadOnlyList<OcspResponderRecord>>(async (c, tx, ct) =>
        {
            var before = SqliteCommands.ToUnixMilliseconds(notAfterBefore);
            var expired = await c.QueryAsync(tx, $"SELECT {Columns} FROM ocsp_responders WHERE not_after < @before", Read, ct, ("@before", before)).ConfigureAwait(false);
            await c.ExecuteAsync(tx, "DELETE FROM ocsp_responders WHERE not_after < @before", ct, ("@before", before)).ConfigureAwait(false);
            return expired;
        }, _ => null, cancellationToken);

    private static OcspResponderRecord Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        IssuerId = r.GetString(1),
        KeyReference = r.GetString(2),
        CertificateDer = r.GetBytes(3),
        NotBefore = r.GetTimestamp(4),
        NotAfter = r.GetTimestamp(5),
        CreatedAt = r.GetTimestamp(6),
    };
}
