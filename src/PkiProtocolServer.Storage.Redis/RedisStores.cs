using System.Globalization;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Roles;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// The Redis stores over one connection, opened in one call:
/// <c>using var stores = RedisStores.Connect(new RedisStoreOptions { Configuration = "127.0.0.1:6379" });</c>
/// Any number of server nodes may open the same Redis and prefix; they see each other's writes at once.
/// </summary>
public sealed class RedisStores : IDisposable
{
    private RedisStores(RedisConnection connection)
    {
        Connection = connection;
        Issuers = new RedisIssuerStore(connection);
        Roles = new RedisRoleStore(connection);
        Certificates = new RedisCertificateStore(connection);
    }

    public RedisConnection Connection { get; }

    public IIssuerStore Issuers { get; }

    public IRoleStore Roles { get; }

    public ICertificateStore Certificates { get; }

    /// <summary>
    /// Validates the options, connects, and checks the layout version under the prefix (writing it on first
    /// use). The multiplexer is closed at dispose. Throws <see cref="ArgumentException"/> for bad options,
    /// <see cref="InvalidOperationException"/> when Redis cannot be reached or holds a newer layout.
    /// </summary>
    public static RedisStores Connect(RedisStoreOptions options)
    {
        var connection = RedisConnection.Connect(options);
        try
        {
            return Open(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Over a multiplexer the caller owns (and closes): tests, or a host sharing one multiplexer.</summary>
    public static RedisStores Open(IConnectionMultiplexer multiplexer, string keyPrefix = RedisStoreOptions.DefaultKeyPrefix) =>
        Open(new RedisConnection(multiplexer, keyPrefix, ownsMultiplexer: false));

    private static RedisStores Open(RedisConnection connection)
    {
        try
        {
            EnsureFormat(connection.Database);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            // With abortConnect=false the connection "succeeds" without Redis; the first command says otherwise.
            throw new InvalidOperationException($"Redis at {connection.Describe()} did not answer: {e.Message}", e);
        }

        return new RedisStores(connection);
    }

    /// <summary>
    /// Claims the layout version for an empty prefix, or refuses one written by a newer build: reading a layout
    /// this code does not know could misread records, and writing into it could corrupt them.
    /// </summary>
    private static void EnsureFormat(IDatabase database)
    {
        database.StringSet(RedisKeys.Format, RedisKeys.FormatVersion, when: When.NotExists);
        var stored = (string?)database.StringGet(RedisKeys.Format);
        if (!int.TryParse(stored, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version > RedisKeys.FormatVersion)
        {
            throw new InvalidOperationException(
                $"The Redis data under this key prefix has layout version '{stored}', but this build knows only versions up to {RedisKeys.FormatVersion}; run a newer build or choose another key prefix.");
        }
    }

    /// <summary>Closes the multiplexer when it was opened by <see cref="Connect"/>.</summary>
    public void Dispose() => Connection.Dispose();
}
