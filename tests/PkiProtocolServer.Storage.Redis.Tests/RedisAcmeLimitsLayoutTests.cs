using PkiProtocolServer.Contracts.StoreContracts.Acme;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>What the rate-limit and account-removal contracts cannot see on Redis: keys under the prefix, a window's TTL, the deactivated index.</summary>
public sealed class RedisAcmeLimitsLayoutTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_rate_limit_window_is_a_prefixed_hash_that_redis_drops_when_the_window_ends()
    {
        var prefix = RedisServer.NewPrefix();
        var stores = new RedisAcmeStores(RedisStores.Open(redis.Multiplexer, prefix).Connection);
        var now = DateTimeOffset.UtcNow;

        await stores.RateLimits.TryTakeAsync("order:account:abc", 5, TimeSpan.FromMinutes(10), now, None);
        await stores.RateLimits.TryTakeAsync("order:account:abc", 5, TimeSpan.FromMinutes(10), now.AddMinutes(4), None);

        var db = redis.Multiplexer.GetDatabase();
        var key = prefix + "acme:ratelimit:order:account:abc";
        Assert.Equal(2, (long)await db.HashGetAsync(key, "taken"));
        Assert.Equal(now.AddMinutes(10).ToUnixTimeMilliseconds(), (long)await db.HashGetAsync(key, "ends"));
        var ttl = await db.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6)); // the rest of the window as of the last take
        Assert.Equal(0, await stores.RateLimits.DeleteExpiredAsync(now.AddHours(1), None));
    }

    [Fact]
    public async Task Deactivating_an_account_indexes_it_and_its_removal_clears_every_key_of_it()
    {
        var prefix = RedisServer.NewPrefix();
        var stores = new RedisAcmeStores(RedisStores.Open(redis.Multiplexer, prefix).Connection);
        var account = await stores.Accounts.AddAsync(AcmeSamples.Account(), None);
        var authorization = AcmeSamples.Authorization(account.Id);
        await stores.Orders.AddAsync(AcmeSamples.Order(account.Id, [authorization]), [authorization], None);
        await stores.Accounts.TryUpdateAsync(account.Deactivate(AcmeSamples.Now), None);
        var db = redis.Multiplexer.GetDatabase();
        Assert.Equal(AcmeSamples.Now.ToUnixTimeMilliseconds(), await db.SortedSetScoreAsync(prefix + "acme:accounts:deactivated", account.Id));

        Assert.Equal(1, await stores.Accounts.DeleteDeactivatedAsync(AcmeSamples.Now, None));

        Assert.False(await db.KeyExistsAsync(prefix + "acme:account:" + account.Id));
        Assert.False(await db.KeyExistsAsync(prefix + "acme:orders:account:" + account.Id));
        Assert.False(await db.HashExistsAsync(prefix + "acme:accounts:keys", account.Directory + ":" + account.KeyThumbprint));
        Assert.Null(await db.SortedSetScoreAsync(prefix + "acme:accounts:deactivated", account.Id));
    }
}
