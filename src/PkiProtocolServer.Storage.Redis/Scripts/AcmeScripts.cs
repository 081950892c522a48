using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Scripts;

/// <summary>
/// The ACME stores' state changes, one Lua script each, so every compare-and-set and every record written with its
/// indexes is one atomic step across nodes. As in <see cref="IssuerScripts"/>, <c>@...</c> parameters of type
/// <see cref="RedisKey"/> travel as KEYS (prefixed by the connection), the others as ARGV; each script checks
/// before it writes, so a refusal leaves no trace. Instants are unix milliseconds; <c>pexpireAt</c> is the key's
/// backstop TTL (expiry plus the stores' retention).
/// </summary>
internal static class AcmeScripts
{
    /// <summary>
    /// Keys: account, accountKeys, eab, eabExpiry. Args: id, keyField, version, json, bindsEab ('1'/'0'), eabId, eabJson
    /// (the key as read), boundEabJson, now. Returns 'ok', 'account-id', 'account-key' or 'eab' (unknown, expired,
    /// bound or changed since read). The EAB key is bound in the same step: both land or neither.
    /// </summary>
    public static readonly LuaScript AddAccount = LuaScript.Prepare("""
        if redis.call('EXISTS', @account) == 1 then return 'account-id' end
        if redis.call('HEXISTS', @accountKeys, @keyField) == 1 then return 'account-key' end
        if @bindsEab == '1' then
          local eab = redis.call('HMGET', @eab, 'doc', 'bound', 'expires')
          if not eab[1] or eab[1] ~= @eabJson or eab[2] ~= '' then return 'eab' end
          if eab[3] ~= '' and tonumber(eab[3]) <= tonumber(@now) then return 'eab' end
          redis.call('HSET', @eab, 'doc', @boundEabJson, 'bound', @id)
          redis.call('PERSIST', @eab)
          redis.call('ZREM', @eabExpiry, @eabId)
        end
        redis.call('HSET', @account, 'version', @version, 'key', @keyField, 'doc', @json)
        redis.call('HSET', @accountKeys, @keyField, @id)
        return 'ok'
        """);

    /// <summary>
    /// Keys: account, accountKeys, deactivated. Args: id, version (expected), next, keyField, json, deactivatedAt (unix ms, or
    /// empty while valid: a deactivated account joins the janitor's index). Returns 'ok', 'stale'
    /// (missing or another writer won) or 'account-key' (the new key is another account's).
    /// </summary>
    public static readonly LuaScript UpdateAccount = LuaScript.Prepare("""
        local stored = redis.call('HMGET', @account, 'version', 'key')
        if not stored[1] or stored[1] ~= @version then return 'stale' end
        local owner = redis.call('HGET', @accountKeys, @keyField)
        if owner and owner ~= @id then return 'account-key' end
        if stored[2] ~= @keyField then
          if redis.call('HGET', @accountKeys, stored[2]) == @id then redis.call('HDEL', @accountKeys, stored[2]) end
          redis.call('HSET', @accountKeys, @keyField, @id)
        end
        redis.call('HSET', @account, 'version', @next, 'key', @keyField, 'doc', @json)
        if @deactivatedAt ~= '' then redis.call('ZADD', @deactivated, 'NX', @deactivatedAt, @id) end
        return 'ok'
        """);

    /// <summary>
    /// Removes a deactivated account: its record, its key mapping (if still its own), its orders index and its entry
    /// in the deactivated index. Keys: account, accountKeys, orders, deactivated. Args: id. Returns 1 if the record went.
    /// </summary>
    public static readonly LuaScript DeleteAccount = LuaScript.Prepare("""
        local key = redis.call('HGET', @account, 'key')
        if key and redis.call('HGET', @accountKeys, key) == @id then redis.call('HDEL', @accountKeys, key) end
        redis.call('DEL', @orders)
        redis.call('ZREM', @deactivated, @id)
        return redis.call('DEL', @account)
        """);

    /// <summary>
    /// A new order with its new authorizations. Plain KEYS/ARGV because the number of authorizations varies.
    /// KEYS: order, ordersByAccount, ordersByExpiry, authzByExpiry, authzDue, then per authorization: its key and its
    /// reuse index. ARGV: orderId, json, created, expires, pexpireAt, account, then per authorization: id, json,
    /// expires, due ('' when none), valid ('1'/'0'), pexpireAt. Returns 'ok' or the id that exists already.
    /// </summary>
    public const string AddOrder = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return ARGV[1] end
        local n = (#KEYS - 5) / 2
        for i = 1, n do
          if redis.call('EXISTS', KEYS[4 + 2 * i]) == 1 then return ARGV[6 * i + 1] end
        end
        for i = 1, n do
          local key, reuse, a = KEYS[4 + 2 * i], KEYS[5 + 2 * i], 6 * i
          local id = ARGV[a + 1]
          redis.call('HSET', key, 'version', '1', 'expires', ARGV[a + 3], 'doc', ARGV[a + 2])
          redis.call('PEXPIREAT', key, ARGV[a + 6])
          redis.call('ZADD', KEYS[4], ARGV[a + 3], id)
          if ARGV[a + 4] ~= '' then redis.call('ZADD', KEYS[5], ARGV[a + 4], id) end
          if ARGV[a + 5] == '1' then redis.call('ZADD', reuse, ARGV[a + 3], id) end
        end
        redis.call('HSET', KEYS[1], 'version', '1', 'account', ARGV[6], 'expires', ARGV[4], 'doc', ARGV[2])
        redis.call('PEXPIREAT', KEYS[1], ARGV[5])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
        redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
        return 'ok'
        """;

    /// <summary>Keys: order, ordersByExpiry. Args: id, version (expected), next, json, expires, pexpireAt. Returns 1 when replaced, 0 when stale or gone.</summary>
    public static readonly LuaScript UpdateOrder = LuaScript.Prepare("""
        if redis.call('HGET', @order, 'version') ~= @version then return 0 end
        redis.call('HSET', @order, 'version', @next, 'expires', @expires, 'doc', @json)
        redis.call('PEXPIREAT', @order, @pexpireAt)
        redis.call('ZADD', @ordersByExpiry, @expires, @id)
        return 1
        """);

    /// <summary>
    /// Keys: authorization, authzByExpiry, authzDue, reuse. Args: id, json, expires, due ('' when none), valid
    /// ('1'/'0'), pexpireAt. Adds a pre-authorization (version 1) with its indexes; returns 0 when the id exists.
    /// </summary>
    public static readonly LuaScript AddAuthorization = LuaScript.Prepare("""
        if redis.call('EXISTS', @authorization) == 1 then return 0 end
        redis.call('HSET', @authorization, 'version', '1', 'expires', @expires, 'doc', @json)
        redis.call('PEXPIREAT', @authorization, @pexpireAt)
        redis.call('ZADD', @authzByExpiry, @expires, @id)
        if @due ~= '' then redis.call('ZADD', @authzDue, @due, @id) end
        if @valid == '1' then redis.call('ZADD', @reuse, @expires, @id) end
        return 1
        """);

    /// <summary>
    /// Keys: authorization, authzByExpiry, authzDue, reuse. Args: id, version (expected), next, json, expires, due
    /// ('' when none), valid ('1'/'0'), pexpireAt. Returns 1 when replaced, 0 when stale or gone; the due and reuse
    /// indexes follow the new state in the same step.
    /// </summary>
    public static readonly LuaScript UpdateAuthorization = LuaScript.Prepare("""
        if redis.call('HGET', @authorization, 'version') ~= @version then return 0 end
        redis.call('HSET', @authorization, 'version', @next, 'expires', @expires, 'doc', @json)
        redis.call('PEXPIREAT', @authorization, @pexpireAt)
        redis.call('ZADD', @authzByExpiry, @expires, @id)
        if @due == '' then redis.call('ZREM', @authzDue, @id) else redis.call('ZADD', @authzDue, @due, @id) end
        if @valid == '1' then redis.call('ZADD', @reuse, @expires, @id) else redis.call('ZREM', @reuse, @id) end
        return 1
        """);

    /// <summary>
    /// Keys: record, byExpiry, extra1, extra2 (further indexes holding the id; any key when unused). Args: id, before.
    /// Removes the record and the id from every index when its expiry score is still at or before <c>before</c>
    /// (re-checked here, so nodes purging at once never remove anything twice or too early). Returns 1 when the
    /// index held it, else 0.
    /// </summary>
    public static readonly LuaScript DeleteExpired = LuaScript.Prepare("""
        local expires = redis.call('ZSCORE', @byExpiry, @id)
        if not expires or tonumber(expires) > tonumber(@before) then return 0 end
        redis.call('DEL', @record)
        redis.call('ZREM', @byExpiry, @id)
        redis.call('ZREM', @extra1, @id)
        redis.call('ZREM', @extra2, @id)
        return 1
        """);

    /// <summary>Keys: certificate, serials, byExpiry. Args: id, serial, json, notAfter, pexpireAt. Returns 1 when added, 0 when the id exists.</summary>
    public static readonly LuaScript AddCertificate = LuaScript.Prepare("""
        if redis.call('EXISTS', @certificate) == 1 then return 0 end
        redis.call('SET', @certificate, @json)
        redis.call('PEXPIREAT', @certificate, @pexpireAt)
        redis.call('HSET', @serials, @serial, @id)
        redis.call('ZADD', @byExpiry, @notAfter, @id)
        return 1
        """);

    /// <summary>Keys: certificate, serials, byExpiry. Args: id, serial, before. As <see cref="DeleteExpired"/>, and the serial lookup goes with it.</summary>
    public static readonly LuaScript DeleteExpiredCertificate = LuaScript.Prepare("""
        local expires = redis.call('ZSCORE', @byExpiry, @id)
        if not expires or tonumber(expires) > tonumber(@before) then return 0 end
        redis.call('DEL', @certificate)
        if redis.call('HGET', @serials, @serial) == @id then redis.call('HDEL', @serials, @serial) end
        redis.call('ZREM', @byExpiry, @id)
        return 1
        """);

    /// <summary>
    /// Keys: eab, eabs, byExpiry. Args: id, json, created, expires ('' when never), bound ('' when unbound),
    /// pexpireAt. Returns 1 when added, 0 when the id exists. An unbound expiring key gets a TTL and an expiry entry.
    /// </summary>
    public static readonly LuaScript AddExternalAccountKey = LuaScript.Prepare("""
        if redis.call('EXISTS', @eab) == 1 then return 0 end
        redis.call('HSET', @eab, 'doc', @json, 'bound', @bound, 'expires', @expires)
        redis.call('ZADD', @eabs, @created, @id)
        if @expires ~= '' and @bound == '' then
          redis.call('PEXPIREAT', @eab, @pexpireAt)
          redis.call('ZADD', @byExpiry, @expires, @id)
        end
        return 1
        """);

    /// <summary>Keys: eab, eabs, byExpiry. Args: id. Returns 1 when deleted, 0 when missing.</summary>
    public static readonly LuaScript DeleteExternalAccountKey = LuaScript.Prepare("""
        redis.call('ZREM', @eabs, @id)
        redis.call('ZREM', @byExpiry, @id)
        return redis.call('DEL', @eab)
        """);

    /// <summary>
    /// Keys: eab, eabs, byExpiry. Args: id, before. Removes an unbound key expired at or before <c>before</c>
    /// (binding takes it out of the expiry index, and the bound check here covers a bind racing the purge).
    /// </summary>
    public static readonly LuaScript DeleteExpiredExternalAccountKey = LuaScript.Prepare("""
        local expires = redis.call('ZSCORE', @byExpiry, @id)
        if not expires or tonumber(expires) > tonumber(@before) then return 0 end
        redis.call('ZREM', @byExpiry, @id)
        local bound = redis.call('HGET', @eab, 'bound')
        if bound and bound ~= '' then return 0 end
        redis.call('DEL', @eab)
        redis.call('ZREM', @eabs, @id)
        return 1
        """);
}
