using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Scripts;

/// <summary>The replacement claims' compare-and-set steps (RFC 9773 <c>replaces</c>), one Lua script each, as in <see cref="AcmeScripts"/>.</summary>
internal static class RenewalScripts
{
    /// <summary>
    /// Keys: replacement, byExpiry. Args: id, order, expected ('' = no claim yet), claimed, expires, pexpireAt. Returns 1 when the
    /// claim moved to <c>order</c>, 0 when it is held by another order than expected or completed.
    /// </summary>
    public static readonly LuaScript Claim = LuaScript.Prepare("""
        local current = redis.call('HMGET', @replacement, 'order', 'completed')
        if @expected == '' then
          if current[1] then return 0 end
          redis.call('HSET', @replacement, 'order', @order, 'completed', '0', 'claimed', @claimed, 'expires', @expires)
          redis.call('PEXPIREAT', @replacement, @pexpireAt)
          redis.call('ZADD', @byExpiry, @expires, @id)
          return 1
        end
        if current[1] ~= @expected or current[2] ~= '0' then return 0 end
        redis.call('HSET', @replacement, 'order', @order, 'claimed', @claimed)
        return 1
        """);

    /// <summary>Keys: replacement. Args: order. Returns 1 when <c>order</c> held the claim, now completed; 0 otherwise.</summary>
    public static readonly LuaScript Complete = LuaScript.Prepare("""
        if redis.call('HGET', @replacement, 'order') ~= @order then return 0 end
        redis.call('HSET', @replacement, 'completed', '1')
        return 1
        """);

    /// <summary>Keys: replacement, byExpiry. Args: id, before. Removes the claim if its certificate expired; returns 1 if removed.</summary>
    public static readonly LuaScript DeleteExpired = LuaScript.Prepare("""
        local expires = redis.call('HGET', @replacement, 'expires')
        redis.call('ZREM', @byExpiry, @id)
        if expires and tonumber(expires) <= tonumber(@before) then
          redis.call('DEL', @replacement)
          return 1
        end
        if not expires then return 0 end
        redis.call('ZADD', @byExpiry, expires, @id)
        return 0
        """);
}
