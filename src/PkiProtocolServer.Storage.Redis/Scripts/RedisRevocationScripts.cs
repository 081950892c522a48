using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Scripts;

/// <summary>The state changes of the revocation stores: each one atomic, indexes written with their record.</summary>
internal static class RedisRevocationScripts
{
    /// <summary>
    /// Keys: entry, counter, bySequence, byIssuer, byShard, shards, byNotAfter. Args: serial, json (the document
    /// without its sequence), shardKey, notAfter (unix ms). When the serial is revoked already, returns its stored
    /// JSON unchanged; otherwise takes the next sequence (INCR), stores the JSON with <c>"sequence"</c> first and
    /// returns <c>{sequence}</c>.
    /// </summary>
    public static readonly LuaScript AddRevocation = LuaScript.Prepare("""
        local existing = redis.call('GET', @entry)
        if existing then return existing end
        local sequence = redis.call('INCR', @counter)
        local rest = string.sub(@json, 2)
        if rest ~= '}' then rest = ',' .. rest end
        redis.call('SET', @entry, '{"sequence":' .. sequence .. rest)
        redis.call('ZADD', @bySequence, sequence, @serial)
        redis.call('ZADD', @byIssuer, sequence, @serial)
        redis.call('ZADD', @byShard, sequence, @serial)
        redis.call('SADD', @shards, @shardKey)
        redis.call('ZADD', @byNotAfter, @notAfter, @serial)
        return { sequence }
        """);

    /// <summary>
    /// Keys: entry, bySequence, byIssuer, byShard, shards, byNotAfter. Args: serial, shardKey, before (unix ms).
    /// Removes the entry and its indexes when it is still there and expired before <c>before</c>; returns 1 when removed.
    /// </summary>
    public static readonly LuaScript DeleteExpiredRevocation = LuaScript.Prepare("""
        local notAfter = redis.call('ZSCORE', @byNotAfter, @serial)
        if not notAfter or tonumber(notAfter) >= tonumber(@before) then return 0 end
        redis.call('DEL', @entry)
        redis.call('ZREM', @bySequence, @serial)
        redis.call('ZREM', @byIssuer, @serial)
        redis.call('ZREM', @byShard, @serial)
        if redis.call('ZCARD', @byShard) == 0 then redis.call('SREM', @shards, @shardKey) end
        redis.call('ZREM', @byNotAfter, @serial)
        return 1
        """);

    /// <summary>
    /// Keys: crl, crls. Args: slot, number, info (JSON), der. Writes the slot only when it is empty or holds a lower
    /// number; returns 1 when published.
    /// </summary>
    public static readonly LuaScript PublishCrl = LuaScript.Prepare("""
        local current = redis.call('HGET', @crl, 'number')
        if current and tonumber(current) >= tonumber(@number) then return 0 end
        redis.call('HSET', @crl, 'number', @number, 'info', @info, 'der', @der)
        redis.call('SADD', @crls, @slot)
        return 1
        """);

    /// <summary>
    /// Keys: lease. Args: owner, now, expiresAt (unix ms, caller's clock), ttl (ms). Takes the lease when it is free,
    /// expired by the caller's clock, or held by the owner; the TTL drops a dead holder's lease by itself.
    /// Returns 1 when the owner holds it now.
    /// </summary>
    public static readonly LuaScript AcquireLease = LuaScript.Prepare("""
        local holder = redis.call('HGET', @lease, 'owner')
        if holder and holder ~= @owner then
            local expiresAt = redis.call('HGET', @lease, 'expires_at')
            if expiresAt and tonumber(expiresAt) > tonumber(@now) then return 0 end
        end
        redis.call('HSET', @lease, 'owner', @owner, 'expires_at', @expiresAt)
        redis.call('PEXPIRE', @lease, @ttl)
        return 1
        """);

    /// <summary>Keys: lease. Args: owner. Deletes the lease only when the owner holds it (compare-and-delete).</summary>
    public static readonly LuaScript ReleaseLease = LuaScript.Prepare("""
        if redis.call('HGET', @lease, 'owner') == @owner then return redis.call('DEL', @lease) end
        return 0
        """);

    /// <summary>
    /// Keys: entry, byRefreshAt, byNextUpdate, bySerial. Args: key, json, refreshAt, nextUpdate (unix ms), ttl (ms).
    /// Stores or replaces a cached response with its indexes; the serial's set lives at least as long as the entry.
    /// </summary>
    public static readonly LuaScript PutOcspResponse = LuaScript.Prepare("""
        redis.call('SET', @entry, @json, 'PX', @ttl)
        redis.call('ZADD', @byRefreshAt, @refreshAt, @key)
        redis.call('ZADD', @byNextUpdate, @nextUpdate, @key)
        redis.call('SADD', @bySerial, @key)
        if redis.call('PTTL', @bySerial) < tonumber(@ttl) then redis.call('PEXPIRE', @bySerial, @ttl) end
        return 1
        """);

    /// <summary>
    /// Keys: entry, byRefreshAt, byNextUpdate, bySerial. Args: key, before (unix ms; empty: unconditional).
    /// Removes a cached response and its index entries (when <c>before</c> is given, only if its nextUpdate is
    /// still before it); returns 1 when the response itself was removed.
    /// </summary>
    public static readonly LuaScript RemoveOcspResponse = LuaScript.Prepare("""
        if @before ~= '' then
            local nextUpdate = redis.call('ZSCORE', @byNextUpdate, @key)
            if nextUpdate and tonumber(nextUpdate) >= tonumber(@before) then return 0 end
        end
        local removed = redis.call('DEL', @entry)
        redis.call('ZREM', @byRefreshAt, @key)
        redis.call('ZREM', @byNextUpdate, @key)
        redis.call('SREM', @bySerial, @key)
        return removed
        """);
}
