using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Revocation.Ocsp;
using PkiProtocolServer.Storage.Redis.Documents;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// Delegated OCSP responders in one hash, <c>ocsp-responders</c> (id → JSON): there are one or two per issuer, so
/// reading them all is cheap; each change touches one field, which HSETNX / HDEL make atomic.
/// </summary>
public sealed class RedisOcspResponderStore : IOcspResponderStore
{
    private readonly RedisConnection _connection;

    public RedisOcspResponderStore(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    public async Task AddAsync(OcspResponderRecord responder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(responder);
        var added = await _connection.WriteAsync(
            db => db.HashSetAsync(RedisRevocationKeys.OcspResponders, responder.Id, RedisJson.Write(OcspResponderDocument.From(responder), RedisRevocationJsonContext.Instance.OcspResponderDocument), When.NotExists),
            cancellationToken).ConfigureAwait(false);
        if (!added)
        {
            throw PkiException.Conflict($"an OCSP responder with id {responder.Id} is already recorded");
        }
    }

    public async Task<OcspResponderRecord?> GetCurrentAsync(string issuerId, CancellationToken cancellationToken) =>
        (await ReadAllAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => r.IssuerId == issuerId)
            .OrderByDescending(r => r.CreatedAt)
            .ThenByDescending(r => r.NotAfter)
            .FirstOrDefault();

    /// <summary>Each expired responder is returned only by the call whose HDEL removed it, so concurrent tidies never hand a key out twice.</summary>
    public async Task<IReadOnlyList<OcspResponderRecord>> DeleteExpiredAsync(DateTimeOffset notAfterBefore, CancellationToken cancellationToken)
    {
        var removed = new List<OcspResponderRecord>();
        foreach (var responder in (await ReadAllAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.NotAfter < notAfterBefore))
        {
            if (await _connection.WriteAsync(db => db.HashDeleteAsync(RedisRevocationKeys.OcspResponders, responder.Id), cancellationToken).ConfigureAwait(false))
            {
                removed.Add(responder);
            }
        }

        return removed;
    }

    private async Task<IReadOnlyList<OcspResponderRecord>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var values = await _connection.ReadAsync(db => db.HashValuesAsync(RedisRevocationKeys.OcspResponders), cancellationToken).ConfigureAwait(false);
        return [.. values.Select(v => RedisJson.Read(v, RedisRevocationJsonContext.Instance.OcspResponderDocument, "OCSP responder").ToRecord())];
    }
}
