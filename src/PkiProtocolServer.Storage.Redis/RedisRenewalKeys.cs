using PkiProtocolServer.Acme.Stores;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// The key layout of the ACME Renewal Information stores, beside <see cref="RedisAcmeKeys"/> and under the same prefix.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>acme:renewal-windows</c> (hash)</term><description><c>scope:target</c> → window JSON; durable, removed by the operator</description></item>
/// <item><term><c>acme:replacement:&lt;certificate id&gt;</c> (hash, TTL)</term><description><c>order</c>, <c>completed</c> (0/1), <c>claimed</c>, <c>expires</c> (unix ms)</description></item>
/// <item><term><c>acme:replacements:expiry</c> (sorted set, score = expires)</term><description>replacement claims by the replaced certificate's NotAfter</description></item>
/// </list>
/// </remarks>
internal static class RedisRenewalKeys
{
    public static readonly RedisKey RenewalWindows = "acme:renewal-windows";

    public static readonly RedisKey ReplacementsByExpiry = "acme:replacements:expiry";

    public static RedisKey Replacement(string certificateId) => "acme:replacement:" + certificateId;

    /// <summary>The field of <see cref="RenewalWindows"/>: scopes have no ':', so the pair is unambiguous.</summary>
    public static string WindowField(RenewalWindowScope scope, string target) => scope.ToString().ToLowerInvariant() + ":" + target;
}
