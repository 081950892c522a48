using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Scripts;

/// <summary>
/// The rate-limit window as one script (one round trip, atomic across nodes). Keys: bucket (a hash <c>taken</c>,
/// <c>ends</c>). Args: now and period (unix ms / ms, the caller's clock, as every ACME instant here), limit, take
/// ('1' takes one when allowed, '0' only looks). Returns {allowed 1/0, window end}. A window that ended counts as
/// none; a take sets the key's TTL to what is left of the window, so Redis drops it when it ends.
/// </summary>
internal static class RateLimitScripts
{
    public static readonly LuaScript Take = LuaScript.Prepare("""
        local now = tonumber(@now)
        local v = redis.call('HMGET', @bucket, 'taken', 'ends')
        local taken, ends = tonumber(v[1]), tonumber(v[2])
        if not taken or not ends or ends <= now then
          taken = 0
          ends = now + tonumber(@period)
        end
        if taken >= tonumber(@limit) then return {0, ends} end
        if @take == '1' then
          redis.call('HSET', @bucket, 'taken', taken + 1, 'ends', string.format('%d', ends))
          redis.call('PEXPIRE', @bucket, string.format('%d', ends - now))
        end
        return {1, ends}
        """);
}
