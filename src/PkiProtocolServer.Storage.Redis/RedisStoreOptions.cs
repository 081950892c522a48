namespace PkiProtocolServer.Storage.Redis;

/// <summary>Where the shared state lives in Redis and under which key prefix.</summary>
public sealed record RedisStoreOptions
{
    /// <summary>The prefix used when none is given: every key of the server starts with it.</summary>
    public const string DefaultKeyPrefix = "pki:";

    /// <summary>
    /// StackExchange.Redis configuration string (the host's <c>Pki:Redis</c>), e.g.
    /// <c>redis.internal:6379,password=...,ssl=true,defaultDatabase=2</c>. It may hold a password: it is never
    /// printed or put in an error message; <see cref="RedisConnection.Describe"/> shows only the endpoints.
    /// </summary>
    public required string Configuration { get; init; }

    /// <summary>
    /// Prepended to every key, so that several servers (or test runs) share one Redis without seeing each
    /// other. Under Redis Cluster give it a hash tag, e.g. <c>{pki}:</c>: every script touches several keys,
    /// and a script's keys must all live in one slot.
    /// </summary>
    public string KeyPrefix { get; init; } = DefaultKeyPrefix;
}
