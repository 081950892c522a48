using PkiProtocolServer.Acme.Model;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// The key layout of the ACME front end's stores, beside <see cref="RedisKeys"/> and under the same prefix (the
/// connection's key-prefixing view adds it). Every record that expires carries a key TTL (PEXPIREAT at its expiry
/// plus <see cref="RedisAcmeStores.KeyRetention"/>) as a backstop, and a sorted-set index by expiry that the
/// janitor's <c>DeleteExpiredAsync</c> walks.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>acme:account:&lt;id&gt;</c> (hash)</term><description><c>version</c>, <c>key</c> (directory:thumbprint), <c>doc</c> (JSON); durable</description></item>
/// <item><term><c>acme:accounts:keys</c> (hash)</term><description>directory:thumbprint → account id: one account per key and directory</description></item>
/// <item><term><c>acme:accounts:deactivated</c> (sorted set, score = deactivated unix ms)</term><description>deactivated account ids, which the janitor removes (record, key mapping, orders index) after the retention</description></item>
/// <item><term><c>acme:ratelimit:&lt;limit key&gt;</c> (hash, TTL = rest of the window)</term><description><c>taken</c>, <c>ends</c> (unix ms); limit keys: <c>nonce:ip:&lt;ip or /64&gt;</c>, <c>account:ip:&lt;ip or /64&gt;</c>, <c>order:account:&lt;id&gt;</c>, <c>failed:&lt;account&gt;:&lt;type&gt;:&lt;value&gt;</c></description></item>
/// <item><term><c>acme:order:&lt;id&gt;</c> (hash, TTL)</term><description><c>version</c>, <c>account</c>, <c>expires</c> (unix ms), <c>doc</c></description></item>
/// <item><term><c>acme:orders:account:&lt;account id&gt;</c> (sorted set, score = created unix ms)</term><description>an account's order ids, for paging oldest first</description></item>
/// <item><term><c>acme:orders:expiry</c> (sorted set, score = expires)</term><description>order ids by expiry</description></item>
/// <item><term><c>acme:authz:&lt;id&gt;</c> (hash, TTL)</term><description><c>version</c>, <c>expires</c>, <c>doc</c></description></item>
/// <item><term><c>acme:authzs:expiry</c> (sorted set, score = expires)</term><description>authorization ids by expiry</description></item>
/// <item><term><c>acme:authzs:due</c> (sorted set, score = validation due, unix ms)</term><description>authorizations with validation work due: what the validator polls</description></item>
/// <item><term><c>acme:authzs:valid:&lt;account&gt;:&lt;type&gt;:&lt;0|1 wildcard&gt;:&lt;value&gt;</c> (sorted set, score = expires)</term><description>valid authorizations for reuse</description></item>
/// <item><term><c>acme:nonce-key</c> (string, no TTL)</term><description>the 32-byte key every node MACs nonces with; set once (SET NX)</description></item>
/// <item><term><c>acme:nonce:&lt;nonce&gt;</c> (string, TTL = the nonce's expiry plus a margin)</term><description>a used nonce; written by SET NX on redemption, so exactly once across nodes</description></item>
/// <item><term><c>acme:cert:&lt;id&gt;</c> (string, TTL)</term><description>ACME certificate JSON (chains for download)</description></item>
/// <item><term><c>acme:certs:serials</c> (hash)</term><description>serial → certificate id, for revocation by certificate</description></item>
/// <item><term><c>acme:certs:expiry</c> (sorted set, score = NotAfter)</term><description>certificate ids by expiry</description></item>
/// <item><term><c>acme:eab:&lt;id&gt;</c> (hash, TTL while unbound and expiring)</term><description><c>doc</c>, <c>bound</c> (account id or empty), <c>expires</c> (unix ms or empty)</description></item>
/// <item><term><c>acme:eabs</c> (sorted set, score = created)</term><description>every EAB key id, oldest first</description></item>
/// <item><term><c>acme:eabs:expiry</c> (sorted set, score = expires)</term><description>unbound EAB keys that expire</description></item>
/// </list>
/// </remarks>
internal static class RedisAcmeKeys
{
    public static readonly RedisKey AccountKeys = "acme:accounts:keys";

    public static readonly RedisKey OrdersByExpiry = "acme:orders:expiry";

    public static readonly RedisKey AuthorizationsByExpiry = "acme:authzs:expiry";

    public static readonly RedisKey AuthorizationsDue = "acme:authzs:due";

    public static readonly RedisKey NonceKey = "acme:nonce-key";

    /// <summary>The index of issued nonces that versions before self-contained nonces kept; the nonce sweep removes it.</summary>
    public static readonly RedisKey LegacyNoncesByExpiry = "acme:nonces:expiry";

    public static readonly RedisKey CertificateSerials = "acme:certs:serials";

    public static readonly RedisKey CertificatesByExpiry = "acme:certs:expiry";

    public static readonly RedisKey ExternalAccountKeys = "acme:eabs";

    public static readonly RedisKey ExternalAccountKeysByExpiry = "acme:eabs:expiry";

    public static readonly RedisKey DeactivatedAccounts = "acme:accounts:deactivated";

    public static RedisKey Account(string id) => "acme:account:" + id;

    public static RedisKey RateLimit(string key) => "acme:ratelimit:" + key;

    /// <summary>The field of <see cref="AccountKeys"/>: thumbprints are base64url (no ':'), so the pair is unambiguous.</summary>
    public static string AccountKeyField(string directory, string thumbprint) => directory + ":" + thumbprint;

    public static RedisKey Order(string id) => "acme:order:" + id;

    public static RedisKey OrdersByAccount(string accountId) => "acme:orders:account:" + accountId;

    public static RedisKey Authorization(string id) => "acme:authz:" + id;

    public static RedisKey ReusableAuthorizations(string accountId, AcmeIdentifier identifier, bool wildcard) =>
        $"acme:authzs:valid:{accountId}:{identifier.Type}:{(wildcard ? 1 : 0)}:{identifier.Value}";

    public static RedisKey Nonce(string nonce) => "acme:nonce:" + nonce;

    public static RedisKey Certificate(string id) => "acme:cert:" + id;

    public static RedisKey ExternalAccountKey(string id) => "acme:eab:" + id;
}
