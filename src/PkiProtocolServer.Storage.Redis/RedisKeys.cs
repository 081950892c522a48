using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// The key layout, in one place. Names here are relative: <see cref="RedisConnection"/> hands out a database
/// view that prepends the configured prefix (default <c>pki:</c>) to every key, script keys included.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>format</c> (string)</term><description>layout version, <see cref="FormatVersion"/>; a newer one stops older servers</description></item>
/// <item><term><c>issuer-keys</c> (hash)</term><description>key id → issuer key JSON</description></item>
/// <item><term><c>issuer-keys:names</c> (hash)</term><description>key name → key id: uniqueness of names</description></item>
/// <item><term><c>issuers</c> (hash)</term><description>issuer id → issuer JSON (its <c>key_id</c> is read by the key-delete script)</description></item>
/// <item><term><c>issuers:names</c> (hash)</term><description>issuer name → issuer id: uniqueness and lookup by name</description></item>
/// <item><term><c>issuers:default</c> (string)</term><description>id of the default issuer; absent when there is none</description></item>
/// <item><term><c>roles</c> (hash)</term><description>role name → role JSON</description></item>
/// <item><term><c>cert:&lt;serial&gt;</c> (string)</term><description>issued certificate JSON, one key each (there may be millions)</description></item>
/// <item><term><c>certs:serials</c> (sorted set, score 0)</term><description>every serial; ZRANGEBYLEX pages them in serial order</description></item>
/// <item><term><c>certs:issuer:&lt;issuer id&gt;</c> (sorted set, score 0)</term><description>serials per issuer, in serial order: what a CRL of that issuer walks</description></item>
/// <item><term><c>certs:not-after</c> (sorted set, score = NotAfter in unix ms)</term><description>serials by expiry: what tidy walks to drop expired records</description></item>
/// </list>
/// Issuers, keys and roles are few (tens), so each collection is one hash: listing is one HVALS and a script
/// can check every uniqueness rule in one step. Certificates are many, so each is its own key with indexes
/// beside it; every index is written in the same script as the record, so none can miss a certificate.
/// </remarks>
internal static class RedisKeys
{
    /// <summary>Version of this layout; bump it (and teach the code to read the old one) when it changes.</summary>
    public const int FormatVersion = 1;

    public static readonly RedisKey Format = "format";

    public static readonly RedisKey IssuerKeys = "issuer-keys";

    public static readonly RedisKey IssuerKeyNames = "issuer-keys:names";

    public static readonly RedisKey Issuers = "issuers";

    public static readonly RedisKey IssuerNames = "issuers:names";

    public static readonly RedisKey DefaultIssuer = "issuers:default";

    public static readonly RedisKey Roles = "roles";

    public static readonly RedisKey CertificateSerials = "certs:serials";

    public static readonly RedisKey CertificatesByNotAfter = "certs:not-after";

    public static RedisKey Certificate(string serial) => "cert:" + serial;

    public static RedisKey CertificatesByIssuer(string issuerId) => "certs:issuer:" + issuerId;
}
