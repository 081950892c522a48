using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Scripts;

/// <summary>The certificate store's state change: the record and all its indexes in one atomic step.</summary>
internal static class CertificateScripts
{
    /// <summary>
    /// Keys: certificate, serials, byIssuer, byNotAfter. Args: serial, certificate (JSON), notAfter (unix ms).
    /// Returns 1 when recorded, 0 when the serial is already recorded (nothing written).
    /// </summary>
    public static readonly LuaScript Add = LuaScript.Prepare("""
        if redis.call('EXISTS', @certificate) == 1 then return 0 end
        redis.call('SET', @certificate, @json)
        redis.call('ZADD', @serials, 0, @serial)
        redis.call('ZADD', @byIssuer, 0, @serial)
        redis.call('ZADD', @byNotAfter, @notAfter, @serial)
        return 1
        """);

    /// <summary>
    /// Keys: certificate, serials, byIssuer, byNotAfter. Args: serial, before (unix ms). Removes the record and its
    /// indexes when it is still there and expired before <c>before</c>; returns 1 when removed, 0 otherwise (another
    /// node's tidy got there first).
    /// </summary>
    public static readonly LuaScript DeleteExpired = LuaScript.Prepare("""
        local notAfter = redis.call('ZSCORE', @byNotAfter, @serial)
        if not notAfter or tonumber(notAfter) >= tonumber(@before) then return 0 end
        redis.call('DEL', @certificate)
        redis.call('ZREM', @serials, @serial)
        redis.call('ZREM', @byIssuer, @serial)
        redis.call('ZREM', @byNotAfter, @serial)
        return 1
        """);
}
