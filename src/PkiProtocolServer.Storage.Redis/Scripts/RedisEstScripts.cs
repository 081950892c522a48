using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Scripts;

/// <summary>The state changes of EST's stores: compare-and-set on the stored JSON, indexes moved in the same step.</summary>
internal static class RedisEstScripts
{
    /// <summary>
    /// Keys: users. Args: name, expected (the JSON read before), json. Replaces the user only when it is still exactly
    /// what was read; returns 1 when replaced, 0 when it changed or vanished meanwhile (the caller reads again).
    /// </summary>
    public static readonly LuaScript ReplaceUser = LuaScript.Prepare("""
        if redis.call('HGET', @users, @name) ~= @expected then return 0 end
        redis.call('HSET', @users, @name, @json)
        return 1
        """);

    /// <summary>
    /// Keys: entry, open, byCreation, byState. Args: id, openField, json, createdAt (unix ms). Returns <c>{1}</c> when
    /// added, <c>{0, id}</c> when an open enrollment of the same request exists (nothing written), <c>{2}</c> when the
    /// id is taken.
    /// </summary>
    public static readonly LuaScript AddEnrollment = LuaScript.Prepare("""
        local open = redis.call('HGET', @open, @openField)
        if open then return { 0, open } end
        if redis.call('EXISTS', @entry) == 1 then return { 2 } end
        redis.call('SET', @entry, @json)
        redis.call('HSET', @open, @openField, @id)
        redis.call('ZADD', @byCreation, @createdAt, @id)
        redis.call('ZADD', @byState, @createdAt, @id)
        return { 1 }
        """);

    /// <summary>
    /// Keys: entry, open, fromState, toState. Args: id, openField, expected (the JSON read before), json, createdAt,
    /// closes ('1' when the new state is no longer open). Writes the new JSON and moves the id between state indexes
    /// only when the record is still exactly what was read; returns 1 when changed, 0 otherwise (the caller reads again).
    /// </summary>
    public static readonly LuaScript TransitionEnrollment = LuaScript.Prepare("""
        if redis.call('GET', @entry) ~= @expected then return 0 end
        redis.call('SET', @entry, @json)
        redis.call('ZREM', @fromState, @id)
        redis.call('ZADD', @toState, @createdAt, @id)
        if @closes == '1' and redis.call('HGET', @open, @openField) == @id then redis.call('HDEL', @open, @openField) end
        return 1
        """);

    /// <summary>
    /// Keys: open. Args: openField, id. Drops an open-request entry that still names <c>id</c> (compare-and-delete): one
    /// left pointing at a record that is gone or closed would otherwise block the request for ever.
    /// </summary>
    public static readonly LuaScript DropStaleOpen = LuaScript.Prepare("""
        if redis.call('HGET', @open, @openField) == @id then return redis.call('HDEL', @open, @openField) end
        return 0
        """);
}
