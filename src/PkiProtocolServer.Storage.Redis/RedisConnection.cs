using PkiProtocolServer.Core.Errors;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// One multiplexer and one key prefix: the connection every Redis store of a server shares. The multiplexer is
/// either made here from <see cref="RedisStoreOptions"/> (and closed at dispose) or handed in by the caller
/// (tests, a host that shares it with other components) and left open.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    // Server errors that say "not now" rather than "wrong": the command may succeed once Redis recovers.
    private static readonly string[] TransientServerErrors = ["OOM", "READONLY", "LOADING", "MASTERDOWN", "BUSY", "NOREPLICAS", "TRYAGAIN", "CLUSTERDOWN", "MISCONF"];

    private readonly bool _ownsMultiplexer;

    /// <summary>Uses <paramref name="multiplexer"/> with keys under <paramref name="keyPrefix"/>.</summary>
    /// <param name="multiplexer">An open (or reconnecting) multiplexer; its default database is used.</param>
    /// <param name="keyPrefix">Prepended to every key; see <see cref="RedisStoreOptions.KeyPrefix"/>.</param>
    /// <param name="ownsMultiplexer">Whether <see cref="Dispose"/> closes the multiplexer.</param>
    public RedisConnection(IConnectionMultiplexer multiplexer, string keyPrefix = RedisStoreOptions.DefaultKeyPrefix, bool ownsMultiplexer = false)
    {
        Multiplexer = multiplexer ?? throw new ArgumentNullException(nameof(multiplexer));
        var errors = RedisStoreOptionsValidator.ValidateKeyPrefix(keyPrefix);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(keyPrefix));
        }

        KeyPrefix = keyPrefix;
        _ownsMultiplexer = ownsMultiplexer;
        // The key-prefixing view applies the prefix to every key, script KEYS included, so no store can forget it.
        Database = multiplexer.GetDatabase().WithKeyPrefix(keyPrefix);
    }

    public IConnectionMultiplexer Multiplexer { get; }

    public string KeyPrefix { get; }

    /// <summary>The database of the configuration (<c>defaultDatabase</c>, else 0), every key under <see cref="KeyPrefix"/>.</summary>
    internal IDatabase Database { get; }

    /// <summary>
    /// Validates the options and connects. Throws <see cref="ArgumentException"/> for unusable options and
    /// <see cref="InvalidOperationException"/> when Redis cannot be reached. Once connected, the multiplexer
    /// reconnects by itself after Redis goes away and comes back.
    /// </summary>
    public static RedisConnection Connect(RedisStoreOptions options)
    {
        RedisStoreOptionsValidator.ThrowIfInvalid(options);
        var configuration = ConfigurationOptions.Parse(options.Configuration);
        try
        {
            return new RedisConnection(ConnectionMultiplexer.Connect(configuration), options.KeyPrefix, ownsMultiplexer: true);
        }
        catch (RedisConnectionException e)
        {
            throw new InvalidOperationException($"Redis at {DescribeEndpoints(configuration)} cannot be reached: {e.Message}", e);
        }
    }

    /// <summary>Endpoints, database and key prefix, for banners and logs; never the password.</summary>
    public string Describe()
    {
        var endpoints = string.Join(", ", Multiplexer.GetEndPoints().Select(e => e.ToString()));
        return $"{endpoints} (database {Database.Database}, key prefix '{KeyPrefix}')";
    }

    /// <summary>
    /// Runs a read. Cancellation abandons the wait (a read changes nothing); an unreachable or struggling
    /// Redis becomes <see cref="PkiErrorKind.Unavailable"/>.
    /// </summary>
    internal async Task<T> ReadAsync<T>(Func<IDatabase, Task<T>> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await read(Database).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e, write: false);
        }
    }

    /// <summary>
    /// Runs a write. Cancellation is honoured only before it is sent: once sent, it is waited for, because a
    /// caller told "cancelled" must not find the change made anyway.
    /// </summary>
    internal async Task<T> WriteAsync<T>(Func<IDatabase, Task<T>> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await write(Database).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e, write: true);
        }
    }

    /// <summary>What the primary says about persistence and eviction; null values when it would not say.</summary>
    public async Task<RedisServerFacts> GetServerFactsAsync(CancellationToken cancellationToken)
    {
        try
        {
            // StackExchange.Redis refuses INFO unless the whole multiplexer runs in admin mode, which would also
            // let this process FLUSHALL; INFO from a script reads the same facts without that power.
            var persistence = (string?)await Database.ScriptEvaluateAsync("return redis.call('INFO', 'persistence')").WaitAsync(cancellationToken).ConfigureAwait(false);
            var memory = (string?)await Database.ScriptEvaluateAsync("return redis.call('INFO', 'memory')").WaitAsync(cancellationToken).ConfigureAwait(false);
            var aof = InfoField(persistence, "aof_enabled");
            return new RedisServerFacts(aof is null ? null : aof == "1", InfoField(memory, "maxmemory_policy"));
        }
        catch (RedisServerException)
        {
            // Managed services may forbid INFO or scripts; the facts are advisory.
            return new RedisServerFacts(null, null);
        }
    }

    public void Dispose()
    {
        if (_ownsMultiplexer)
        {
            Multiplexer.Dispose();
        }
    }

    /// <summary>A field of INFO's <c>name:value</c> lines.</summary>
    private static string? InfoField(string? info, string name) =>
        info?.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.StartsWith(name + ":", StringComparison.Ordinal))
            .Select(line => line[(name.Length + 1)..])
            .FirstOrDefault();

    private static bool IsUnavailable(Exception e) => e switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException server => TransientServerErrors.Any(code => server.Message.StartsWith(code, StringComparison.Ordinal)),
        _ => false,
    };

    private static PkiException Unavailable(Exception e, bool write) => new(
        PkiErrorKind.Unavailable,
        write
            ? "the Redis state store did not confirm the change (unreachable, timed out or refusing writes); it may or may not have been made; retry later"
            : "the Redis state store is unreachable, timed out or refusing commands; retry later",
        inner: e);

    private static string DescribeEndpoints(ConfigurationOptions configuration) =>
        string.Join(", ", configuration.EndPoints.Select(e => e.ToString()));
}

