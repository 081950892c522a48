using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Storage.Redis.Documents;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// CRL numbers (<c>crl-number:&lt;issuer&gt;</c>, INCR) and the last published CRL of each slot, a hash
/// <c>crl:&lt;issuer&gt;:&lt;slot&gt;</c> of number, description and DER; a script replaces a slot only with a
/// higher number, so a slow builder never replaces a newer CRL.
/// </summary>
public sealed class RedisCrlStore : ICrlStore
{
    private static readonly RedisValue InfoField = "info";
    private static readonly RedisValue DerField = "der";

    private readonly RedisConnection _connection;

    public RedisCrlStore(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    /// <summary>One INCR: atomic on its own, and never lower than a number handed out before on any node.</summary>
    public Task<long> NextNumberAsync(string issuerId, CancellationToken cancellationToken) =>
        _connection.WriteAsync(db => db.StringIncrementAsync(RedisRevocationKeys.CrlNumber(issuerId)), cancellationToken);

    public async Task<bool> PublishAsync(PublishedCrl crl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(crl);
        var info = crl.Info;
        var slot = RedisRevocationKeys.CrlSlot(info.Shard, info.IsDelta);
        var published = (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RedisRevocationScripts.PublishCrl, new
        {
            crl = RedisRevocationKeys.Crl(info.IssuerId, slot),
            crls = RedisRevocationKeys.Crls(info.IssuerId),
            slot,
            number = info.Number,
            info = RedisJson.Write(CrlInfoDocument.From(info), RedisRevocationJsonContext.Instance.CrlInfoDocument),
            der = crl.Der,
        }), cancellationToken).ConfigureAwait(false);
        return published == 1;
    }

    public Task<PublishedCrl?> GetAsync(string issuerId, int? shard, bool delta, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var values = await db.HashGetAsync(RedisRevocationKeys.Crl(issuerId, RedisRevocationKeys.CrlSlot(shard, delta)), [InfoField, DerField]).ConfigureAwait(false);
            return values[0].IsNull || values[1].IsNull ? null : new PublishedCrl(ReadInfo(values[0]), (byte[])values[1]!);
        }, cancellationToken);

    public Task<CrlInfo?> GetInfoAsync(string issuerId, int? shard, bool delta, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var value = await db.HashGetAsync(RedisRevocationKeys.Crl(issuerId, RedisRevocationKeys.CrlSlot(shard, delta)), InfoField).ConfigureAwait(false);
            return value.IsNull ? null : ReadInfo(value);
        }, cancellationToken);

    public Task<IReadOnlyList<CrlInfo>> ListAsync(string issuerId, CancellationToken cancellationToken) =>
        _connection.ReadAsync<IReadOnlyList<CrlInfo>>(async db =>
        {
            var slots = await db.SetMembersAsync(RedisRevocationKeys.Crls(issuerId)).ConfigureAwait(false);
            var infos = new List<CrlInfo>(slots.Length);
            foreach (var slot in slots)
            {
                var value = await db.HashGetAsync(RedisRevocationKeys.Crl(issuerId, (string)slot!), InfoField).ConfigureAwait(false);
                if (!value.IsNull)
                {
                    infos.Add(ReadInfo(value));
                }
            }

            // The embedded store's order: by shard (the complete CRL first), complete before delta.
            return [.. infos.OrderBy(i => i.Shard ?? -1).ThenBy(i => i.IsDelta)];
        }, cancellationToken);

    private static CrlInfo ReadInfo(RedisValue value) =>
        RedisJson.Read(value, RedisRevocationJsonContext.Instance.CrlInfoDocument, "CRL description").ToInfo();
}
