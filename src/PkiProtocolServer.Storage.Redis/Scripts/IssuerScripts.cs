using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Scripts;

/// <summary>
/// The issuer store's state changes, one Lua script each. Redis runs a script alone, so its checks and its
/// writes form one atomic step across every node; each script checks everything before writing anything,
/// so a refusal leaves no trace. Parameters named <c>@...</c> of type <see cref="RedisKey"/> travel as KEYS
/// (prefixed by the connection); the others as ARGV. A result other than <c>ok</c> names the rule that refused.
/// </summary>
internal static class IssuerScripts
{
    /// <summary>Keys: issuerKeys, keyNames. Args: keyId, keyName, key (JSON).</summary>
    public static readonly LuaScript AddKey = LuaScript.Prepare("""
        if redis.call('HEXISTS', @issuerKeys, @keyId) == 1 then return 'key-id' end
        if redis.call('HEXISTS', @keyNames, @keyName) == 1 then return 'key-name' end
        redis.call('HSET', @issuerKeys, @keyId, @key)
        redis.call('HSET', @keyNames, @keyName, @keyId)
        return 'ok'
        """);

    /// <summary>
    /// Keys: issuers, issuerNames, issuerKeys, keyNames, defaultIssuer. Args: issuerId, issuerName, issuer (JSON),
    /// usesKey ('1' when the issuer names a key), keyId (the key it names), addsKey ('1' with a new key),
    /// newKeyId, newKeyName, newKey (JSON), makeDefault ('1'/'0'). Checks in the embedded store's order:
    /// the new key's id and name, then that the named key exists, then the issuer's id and name.
    /// </summary>
    public static readonly LuaScript AddIssuer = LuaScript.Prepare("""
        local addsKey = @addsKey == '1'
        if addsKey then
          if redis.call('HEXISTS', @issuerKeys, @newKeyId) == 1 then return 'key-id' end
          if redis.call('HEXISTS', @keyNames, @newKeyName) == 1 then return 'key-name' end
        end
        if @usesKey == '1' and not (addsKey and @keyId == @newKeyId) and redis.call('HEXISTS', @issuerKeys, @keyId) == 0 then
          return 'no-key'
        end
        if redis.call('HEXISTS', @issuers, @issuerId) == 1 then return 'issuer-id' end
        if redis.call('HEXISTS', @issuerNames, @issuerName) == 1 then return 'issuer-name' end
        if addsKey then
          redis.call('HSET', @issuerKeys, @newKeyId, @newKey)
          redis.call('HSET', @keyNames, @newKeyName, @newKeyId)
        end
        redis.call('HSET', @issuers, @issuerId, @issuer)
        redis.call('HSET', @issuerNames, @issuerName, @issuerId)
        if @makeDefault == '1' then redis.call('SET', @defaultIssuer, @issuerId) end
        return 'ok'
        """);

    /// <summary>
    /// Keys: issuers, issuerNames, issuerKeys. Args: issuerId, issuerName, issuer (JSON), usesKey, keyId.
    /// The old name is read from the stored record so a rename frees it.
    /// </summary>
    public static readonly LuaScript UpdateIssuer = LuaScript.Prepare("""
        local old = redis.call('HGET', @issuers, @issuerId)
        if not old then return 'not-found' end
        if @usesKey == '1' and redis.call('HEXISTS', @issuerKeys, @keyId) == 0 then return 'no-key' end
        local owner = redis.call('HGET', @issuerNames, @issuerName)
        if owner and owner ~= @issuerId then return 'issuer-name' end
        local oldName = cjson.decode(old)['name']
        if oldName ~= @issuerName and redis.call('HGET', @issuerNames, oldName) == @issuerId then
          redis.call('HDEL', @issuerNames, oldName)
        end
        redis.call('HSET', @issuerNames, @issuerName, @issuerId)
        redis.call('HSET', @issuers, @issuerId, @issuer)
        return 'ok'
        """);

    /// <summary>Keys: issuers, issuerNames, defaultIssuer. Args: issuerId. Returns 1 when deleted, 0 when missing.</summary>
    public static readonly LuaScript DeleteIssuer = LuaScript.Prepare("""
        local old = redis.call('HGET', @issuers, @issuerId)
        if not old then return 0 end
        local name = cjson.decode(old)['name']
        if redis.call('HGET', @issuerNames, name) == @issuerId then redis.call('HDEL', @issuerNames, name) end
        redis.call('HDEL', @issuers, @issuerId)
        if redis.call('GET', @defaultIssuer) == @issuerId then redis.call('DEL', @defaultIssuer) end
        return 1
        """);

    /// <summary>
    /// Keys: issuerKeys, keyNames, issuers. Args: keyId. Returns <c>{'in-use', names...}</c> (sorted bytewise, as
    /// the embedded store sorts) while an issuer uses the key, <c>{'deleted'}</c> or <c>{'missing'}</c>.
    /// Scanning the issuers is fine: a server has tens of them, and the scan sees exactly what is stored.
    /// </summary>
    public static readonly LuaScript DeleteKey = LuaScript.Prepare("""
        local users = {}
        local all = redis.call('HVALS', @issuers)
        for i = 1, #all do
          local issuer = cjson.decode(all[i])
          if issuer['key_id'] == @keyId then users[#users + 1] = issuer['name'] end
        end
        if #users > 0 then
          table.sort(users)
          table.insert(users, 1, 'in-use')
          return users
        end
        local old = redis.call('HGET', @issuerKeys, @keyId)
        if not old then return {'missing'} end
        local name = cjson.decode(old)['name']
        if redis.call('HGET', @keyNames, name) == @keyId then redis.call('HDEL', @keyNames, name) end
        redis.call('HDEL', @issuerKeys, @keyId)
        return {'deleted'}
        """);

    /// <summary>Keys: issuers, defaultIssuer. Args: issuerId.</summary>
    public static readonly LuaScript SetDefault = LuaScript.Prepare("""
        if redis.call('HEXISTS', @issuers, @issuerId) == 0 then return 'not-found' end
        redis.call('SET', @defaultIssuer, @issuerId)
        return 'ok'
        """);

    /// <summary>Keys: issuerNames, issuers. Args: issuerName. One step, so a concurrent rename cannot pair a name with another issuer.</summary>
    public static readonly LuaScript FindByName = LuaScript.Prepare("""
        local id = redis.call('HGET', @issuerNames, @issuerName)
        if not id then return false end
        return redis.call('HGET', @issuers, id)
        """);
}
