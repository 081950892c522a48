using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// Rate-limit windows, one hash <c>acme:ratelimit:&lt;key&gt;</c> each (TTL: the rest of its window). Taking is one
/// script (<see cref="RateLimitScripts.Take"/>), looking at any number of windows another (<see cref="RateLimitScripts.Peek"/>), so concurrent takers on any number of
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
        return TakeAsync(key, limit, period, now, cancellationToken);
    }

    public async Task<IReadOnlyList<RateLimitDecision>> PeekAsync(IReadOnlyList<RateLimitWindow> windows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0)
        {
            return [];
        }

        var keys = windows.Select(w => RedisAcmeKeys.RateLimit(w.Key)).ToArray();
        var args = windows.Select(w => (RedisValue)w.Limit).Prepend(now.ToUnixTimeMilliseconds()).ToArray();
        var result = (RedisResult[])(await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RateLimitScripts.Peek, keys, args), cancellationToken).ConfigureAwait(false))!;
        return windows.Select((_, i) => new RateLimitDecision((long)result[2 * i] == 1, DateTimeOffset.FromUnixTimeMilliseconds((long)result[(2 * i) + 1]))).ToList();
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(0);

    private async Task<RateLimitDecision> TakeAsync(string key, int limit, TimeSpan period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RateLimitScripts.Take, new
        {
            bucket = RedisAcmeKeys.RateLimit(key),
            now = now.ToUnixTimeMilliseconds(),
            period = (long)period.TotalMilliseconds,
            limit,
        }), cancellationToken).ConfigureAwait(false))!;
        return new RateLimitDecision((long)result[0] == 1, DateTimeOffset.FromUnixTimeMilliseconds((long)result[1]));
    }
}
