using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// Rate-limit windows, one hash <c>acme:ratelimit:&lt;key&gt;</c> each (TTL: the rest of its window). Taking and
/// looking are one script each call (<see cref="RateLimitScripts.Take"/>), so concurrent takers on any number of
/// nodes never pass the limit. Ended windows vanish by TTL: nothing for the janitor to remove.
/// </summary>
public sealed class RedisAcmeRateLimitStore : IRateLimitStore
{
    private readonly RedisConnection _connection;

    public RedisAcmeRateLimitStore(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    public Task<RateLimitDecision> TryTakeAsync(string key, int limit, TimeSpan period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return RunAsync(key, limit, period, now, take: true, cancellationToken);
    }

    public Task<RateLimitDecision> PeekAsync(string key, int limit, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(key, limit, TimeSpan.Zero, now, take: false, cancellationToken);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(0);

    private async Task<RateLimitDecision> RunAsync(string key, int limit, TimeSpan period, DateTimeOffset now, bool take, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RateLimitScripts.Take, new
        {
            bucket = RedisAcmeKeys.RateLimit(key),
            now = now.ToUnixTimeMilliseconds(),
            period = (long)period.TotalMilliseconds,
            limit,
            take = take ? "1" : "0",
        }), cancellationToken).ConfigureAwait(false))!;
        return new RateLimitDecision((long)result[0] == 1, DateTimeOffset.FromUnixTimeMilliseconds((long)result[1]));
    }
}
