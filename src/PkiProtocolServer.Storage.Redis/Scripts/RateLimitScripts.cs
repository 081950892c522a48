using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Scripts;

/// <summary>
/// The rate-limit windows as scripts (one round trip each, atomic across nodes). A window is a hash <c>taken</c>,
/// <c>ends</c>; instants are unix ms of the caller's clock, as every ACME instant here. A window that ended counts as
/// none; a take sets the key's TTL to what is left of the window, so Redis drops it when it ends.
/// </summary>
internal static class RateLimitScripts
{
    /// <summary>Keys: bucket. Args: now, period (ms), limit. Takes one if allowed; returns {allowed 1/0, window end}.</summary>
    public static readonly LuaScript Take = LuaScript.Prepare("""
        local now = tonumber(@now)
        local v = redis.call('HMGET', @bucket, 'taken', 'ends')
        local taken, ends = tonumber(v[1]), tonumber(v[2])
        if not taken or not ends or ends <= now then
          taken = 0
          ends = now + tonumber(@period)
        end
        if taken >= tonumber(@limit) then return {0, ends} end
        redis.call('HSET', @bucket, 'taken', taken + 1, 'ends', string.format('%d', ends))
        redis.call('PEXPIRE', @bucket, string.format('%d', ends - now))
        return {1, ends}
        """);

    /// <summary>
    /// Plain KEYS/ARGV (the number of windows varies). KEYS: the buckets. ARGV: now, then the limit of each bucket.
    /// Returns {allowed 1/0, window end (now when none is open)} per bucket, in order; writes nothing.
    /// </summary>
    public const string Peek = """
        local now = tonumber(ARGV[1])
        local out = {}
        for i, key in ipairs(KEYS) do
          local v = redis.call('HMGET', key, 'taken', 'ends')
          local taken, ends = tonumber(v[1]), tonumber(v[2])
          if not taken or not ends or ends <= now then
            out[#out + 1] = 1
            out[#out + 1] = now
          else
            out[#out + 1] = (taken < tonumber(ARGV[i + 1])) and 1 or 0
            out[#out + 1] = ends
          end
        end
        return out
        """;
}
