using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Storage.Redis.Documents;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// Certificates for ACME download, one string <c>acme:cert:&lt;id&gt;</c> each (TTL: NotAfter plus retention),
/// found by serial through <c>acme:certs:serials</c> and purged through <c>acme:certs:expiry</c>.
/// </summary>
public sealed class RedisAcmeCertificateStore : IAcmeCertificateStore
{
    private readonly RedisConnection _connection;
    private readonly TimeSpan _retention;

    public RedisAcmeCertificateStore(RedisConnection connection, TimeSpan retention)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _retention = retention;
    }

    public async Task AddAsync(AcmeCertificate certificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var added = (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.AddCertificate, new
        {
            certificate = RedisAcmeKeys.Certificate(certificate.Id),
            serials = RedisAcmeKeys.CertificateSerials,
            byExpiry = RedisAcmeKeys.CertificatesByExpiry,
            id = certificate.Id,
            serial = certificate.Serial,
            json = AcmeJson.Write(certificate),
            notAfter = certificate.NotAfter.ToUnixTimeMilliseconds(),
            pexpireAt = RedisAcmeStores.KeyExpiry(certificate.NotAfter, _retention),
        }), cancellationToken).ConfigureAwait(false);
        if (added != 1)
        {
            throw PkiException.Conflict("a certificate with that id exists");
        }
    }

    public Task<AcmeCertificate?> GetAsync(string id, CancellationToken cancellationToken) =>
        _connection.ReadAsync(db => ReadAsync(db, id), cancellationToken);

    public Task<AcmeCertificate?> FindBySerialAsync(string serial, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var id = await db.HashGetAsync(RedisAcmeKeys.CertificateSerials, serial).ConfigureAwait(false);
            return id.IsNull ? null : await ReadAsync(db, id!).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now.ToUnixTimeMilliseconds();
        var ids = await _connection.ReadAsync(db => db.SortedSetRangeByScoreAsync(RedisAcmeKeys.CertificatesByExpiry, double.NegativeInfinity, before), cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var member in ids)
        {
            var id = member.ToString();
            var record = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            removed += (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.DeleteExpiredCertificate, new
            {
                certificate = RedisAcmeKeys.Certificate(id),
                serials = RedisAcmeKeys.CertificateSerials,
                byExpiry = RedisAcmeKeys.CertificatesByExpiry,
                id,
                serial = record?.Serial ?? string.Empty,
                before,
            }), cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    private static async Task<AcmeCertificate?> ReadAsync(IDatabase db, string id)
    {
        var value = await db.StringGetAsync(RedisAcmeKeys.Certificate(id)).ConfigureAwait(false);
        return value.IsNull ? null : AcmeJson.Read<AcmeCertificate>(value, "ACME certificate");
    }
}
