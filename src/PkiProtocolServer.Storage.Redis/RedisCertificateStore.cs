using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Storage.Redis.Documents;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// Issued certificates, one string key <c>cert:&lt;serial&gt;</c> each, indexed by the sorted sets
/// <c>certs:serials</c> (paging in serial order), <c>certs:issuer:&lt;id&gt;</c> (CRLs) and
/// <c>certs:not-after</c> (tidy). The record and its indexes are written by one script.
/// </summary>
public sealed class RedisCertificateStore : ICertificateStore
{
    private readonly RedisConnection _connection;

    public RedisCertificateStore(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    public async Task AddAsync(IssuedCertificate certificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var recorded = (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(CertificateScripts.Add, new
        {
            certificate = RedisKeys.Certificate(certificate.Serial),
            serials = RedisKeys.CertificateSerials,
            byIssuer = RedisKeys.CertificatesByIssuer(certificate.IssuerId),
            byNotAfter = RedisKeys.CertificatesByNotAfter,
            serial = certificate.Serial,
            json = RedisJson.Write(CertificateDocument.From(certificate), RedisJson.Context.CertificateDocument),
            notAfter = certificate.NotAfter.ToUnixTimeMilliseconds(),
        }), cancellationToken).ConfigureAwait(false);
        if (recorded != 1)
        {
            throw PkiException.Conflict($"a certificate with serial {certificate.Serial} is already recorded; serials are never reused");
        }
    }

    /// <summary>
    /// Tidy: the oldest expired serials from <c>certs:not-after</c>, each removed with its indexes by one script that
    /// re-checks the expiry, so several nodes tidying at once never remove anything twice or too early.
    /// </summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset notAfterBefore, int limit, CancellationToken cancellationToken)
    {
        if (limit < 1)
        {
            return 0;
        }

        var before = notAfterBefore.ToUnixTimeMilliseconds();
        var serials = await _connection.ReadAsync(
            db => db.SortedSetRangeByScoreAsync(RedisKeys.CertificatesByNotAfter, double.NegativeInfinity, before, Exclude.Stop, Order.Ascending, 0, limit),
            cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var member in serials)
        {
            var serial = member.ToString();
            var record = await GetAsync(serial, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                continue;
            }

            removed += (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(CertificateScripts.DeleteExpired, new
            {
                certificate = RedisKeys.Certificate(serial),
                serials = RedisKeys.CertificateSerials,
                byIssuer = RedisKeys.CertificatesByIssuer(record.IssuerId),
                byNotAfter = RedisKeys.CertificatesByNotAfter,
                serial,
                before,
            }), cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    public Task<IssuedCertificate?> GetAsync(string serial, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var value = await db.StringGetAsync(RedisKeys.Certificate(serial)).ConfigureAwait(false);
            return value.IsNull ? null : Read(value);
        }, cancellationToken);

    public Task<IReadOnlyList<IssuedCertificate>> ListAsync(string? afterSerial, int limit, CancellationToken cancellationToken)
    {
        if (limit < 1)
        {
            throw PkiException.Malformed($"a page limit must be at least 1 (was {limit})");
        }

        return _connection.ReadAsync<IReadOnlyList<IssuedCertificate>>(async db =>
        {
            // Every member has score 0, so ZRANGEBYLEX orders by bytes: the ordinal order of lower-case hex,
            // as the embedded store's ORDER BY serial. "(after" starts strictly after it, recorded or not.
            var serials = await db.SortedSetRangeByValueAsync(
                RedisKeys.CertificateSerials,
                min: afterSerial is null ? default : (RedisValue)afterSerial,
                max: default,
                exclude: afterSerial is null ? Exclude.None : Exclude.Start,
                order: Order.Ascending,
                skip: 0,
                take: limit).ConfigureAwait(false);
            if (serials.Length == 0)
            {
                return [];
            }

            var values = await db.StringGetAsync([.. serials.Select(s => RedisKeys.Certificate((string)s!))]).ConfigureAwait(false);
            // A record removed between the two reads (a future tidy) is skipped rather than returned half.
            return [.. values.Where(v => !v.IsNull).Select(Read)];
        }, cancellationToken);
    }

    private static IssuedCertificate Read(RedisValue value) =>
        RedisJson.Read(value, RedisJson.Context.CertificateDocument, "certificate").ToCertificate();
}
