using System.Globalization;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// The key layout of the revocation stores (revocations, CRLs, OCSP, coordination), beside <see cref="RedisKeys"/>
/// and under the same prefix.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>revocation:&lt;serial&gt;</c> (string)</term><description>revocation JSON, one key each</description></item>
/// <item><term><c>revocations:sequence</c> (string)</term><description>the last revocation sequence handed out (INCR in the add script)</description></item>
/// <item><term><c>revocations:by-sequence</c> (sorted set, score = sequence)</term><description>every serial in recording order: replication / listing after a sequence</description></item>
/// <item><term><c>revocations:issuer:&lt;issuer id&gt;</c> (sorted set, score = sequence)</term><description>serials per issuer: complete and delta CRLs page it by score</description></item>
/// <item><term><c>revocations:issuer:&lt;issuer id&gt;:shard:&lt;n|none&gt;</c> (sorted set, score = sequence)</term><description>serials per issuer and shard: shard CRLs and watermarks</description></item>
/// <item><term><c>revocations:issuer:&lt;issuer id&gt;:shards</c> (set)</term><description>shards (<c>n</c> or <c>none</c>) that hold entries</description></item>
/// <item><term><c>revocations:not-after</c> (sorted set, score = NotAfter in unix ms)</term><description>serials by expiry: what tidy walks</description></item>
/// <item><term><c>crl-number:&lt;issuer id&gt;</c> (string)</term><description>the last CRL number of an issuer (INCR)</description></item>
/// <item><term><c>crl:&lt;issuer id&gt;:&lt;n|none&gt;:&lt;complete|delta&gt;</c> (hash)</term><description><c>number</c>, <c>info</c> (JSON), <c>der</c>: the CRL of a slot</description></item>
/// <item><term><c>crls:&lt;issuer id&gt;</c> (set)</term><description>slot names (<c>&lt;n|none&gt;:&lt;complete|delta&gt;</c>) published for an issuer</description></item>
/// <item><term><c>ocsp-responders</c> (hash)</term><description>responder id → responder JSON (few: one or two per issuer)</description></item>
/// <item><term><c>ocsp:&lt;cert id key&gt;</c> (string, TTL)</term><description>cached OCSP response JSON; expires by itself a grace period after its validity</description></item>
/// <item><term><c>ocsp:refresh-at</c>, <c>ocsp:next-update</c> (sorted sets, unix ms)</term><description>cache keys by refresh time and by expiry</description></item>
/// <item><term><c>ocsp:serial:&lt;serial&gt;</c> (set, TTL)</term><description>cache keys of the responses about a serial</description></item>
/// <item><term><c>lease:&lt;name&gt;</c> (hash, TTL)</term><description><c>owner</c> and <c>expires_at</c> (unix ms, caller's clock) of a lease</description></item>
/// <item><term><c>status:&lt;name&gt;</c> (string)</term><description>status document JSON</description></item>
/// </list>
/// </remarks>
internal static class RedisRevocationKeys
{
    public static readonly RedisKey RevocationSequence = "revocations:sequence";

    public static readonly RedisKey RevocationsBySequence = "revocations:by-sequence";

    public static readonly RedisKey RevocationsByNotAfter = "revocations:not-after";

    public static readonly RedisKey OcspResponders = "ocsp-responders";

    public static readonly RedisKey OcspByRefreshAt = "ocsp:refresh-at";

    public static readonly RedisKey OcspByNextUpdate = "ocsp:next-update";

    public static RedisKey Revocation(string serial) => "revocation:" + serial;

    public static RedisKey RevocationsByIssuer(string issuerId) => "revocations:issuer:" + issuerId;

    public static RedisKey RevocationsByShard(string issuerId, string shardKey) => "revocations:issuer:" + issuerId + ":shard:" + shardKey;

    public static RedisKey RevocationShards(string issuerId) => "revocations:issuer:" + issuerId + ":shards";

    /// <summary><c>n</c> for a shard, <c>none</c> for entries without one.</summary>
    public static string ShardKey(int? shard) => shard is { } s ? s.ToString(CultureInfo.InvariantCulture) : "none";

    public static int? ParseShardKey(string key) => key == "none" ? null : int.Parse(key, NumberStyles.Integer, CultureInfo.InvariantCulture);

    public static RedisKey CrlNumber(string issuerId) => "crl-number:" + issuerId;

    public static string CrlSlot(int? shard, bool delta) => ShardKey(shard) + (delta ? ":delta" : ":complete");

    public static RedisKey Crl(string issuerId, string slot) => "crl:" + issuerId + ":" + slot;

    public static RedisKey Crls(string issuerId) => "crls:" + issuerId;

    public static RedisKey OcspResponse(string key) => "ocsp:" + key;

    public static RedisKey OcspBySerial(string serial) => "ocsp:serial:" + serial;

    public static RedisKey Lease(string name) => "lease:" + name;

    public static RedisKey Status(string name) => "status:" + name;
}
