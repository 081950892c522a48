using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Contracts.StoreContracts.Acme;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>
/// What the ACME store contracts cannot see: the key layout and TTLs on the wire, expiry by Redis itself, and
/// nonce redemption raced between two nodes (two multiplexers over one Redis and prefix).
/// </summary>
public sealed class RedisAcmeStoreTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Expiring_records_carry_a_key_ttl_and_accounts_and_bound_eab_keys_do_not()
    {
        var prefix = RedisServer.NewPrefix();
        var stores = new RedisAcmeStores(RedisStores.Open(redis.Multiplexer, prefix).Connection);
        var now = DateTimeOffset.UtcNow;
        var nonce = AcmeSamples.Id();
        await stores.Nonces.TryRecordUseAsync(nonce, now.AddMinutes(5), None);
        await stores.Nonces.GetOrCreateKeyAsync(None);
        var unbound = AcmeSamples.EabKey(expires: now.AddDays(1));
        var toBind = AcmeSamples.EabKey(expires: now.AddDays(1));
        await stores.ExternalAccountKeys.AddAsync(unbound, None);
        await stores.ExternalAccountKeys.AddAsync(toBind, None);
        var account = await stores.Accounts.AddAsync(AcmeSamples.Account(eabKeyId: toBind.Id) with { CreatedAt = now }, None);
        var authorization = AcmeSamples.Authorization(account.Id, expires: now.AddDays(1));
        var order = AcmeSamples.Order(account.Id, [authorization], created: now, expires: now.AddDays(1));
        await stores.Orders.AddAsync(order, [authorization], None);
        var certificate = AcmeSamples.Certificate(account.Id, now.AddDays(90));
        await stores.Certificates.AddAsync(certificate, None);
        var db = redis.Multiplexer.GetDatabase();

        foreach (var (key, expires) in new[]
        {
            ("acme:eab:" + unbound.Id, now.AddDays(1)),
            ("acme:order:" + order.Id, order.Expires),
            ("acme:authz:" + authorization.Id, authorization.Expires),
            ("acme:cert:" + certificate.Id, certificate.NotAfter),
        })
        {
            var ttl = await db.KeyTimeToLiveAsync(prefix + key);
            Assert.NotNull(ttl);
            var dropsAt = DateTimeOffset.UtcNow + ttl.Value;
            Assert.InRange(dropsAt, expires + RedisAcmeStores.DefaultKeyRetention - TimeSpan.FromMinutes(1), expires + RedisAcmeStores.DefaultKeyRetention + TimeSpan.FromMinutes(1));
        }

        var nonceTtl = await db.KeyTimeToLiveAsync(prefix + "acme:nonce:" + nonce);
        Assert.NotNull(nonceTtl);
        Assert.InRange(DateTimeOffset.UtcNow + nonceTtl.Value, now.AddMinutes(4), now.AddMinutes(6));
        Assert.Null(await db.KeyTimeToLiveAsync(prefix + "acme:nonce-key"));
        Assert.Null(await db.KeyTimeToLiveAsync(prefix + "acme:account:" + account.Id));
        Assert.Null(await db.KeyTimeToLiveAsync(prefix + "acme:eab:" + toBind.Id));
        Assert.Null(await db.SortedSetScoreAsync(prefix + "acme:eabs:expiry", toBind.Id));
        Assert.NotNull(await db.SortedSetScoreAsync(prefix + "acme:eabs:expiry", unbound.Id));
        Assert.Equal(account.Id, (string?)await db.HashGetAsync(prefix + "acme:accounts:keys", account.Directory + ":" + account.KeyThumbprint));
        Assert.Equal(order.CreatedAt.ToUnixTimeMilliseconds(), await db.SortedSetScoreAsync(prefix + "acme:orders:account:" + account.Id, order.Id));
        Assert.Equal(certificate.Id, (string?)await db.HashGetAsync(prefix + "acme:certs:serials", certificate.Serial));

        var server = redis.Multiplexer.GetServer(redis.Multiplexer.GetEndPoints()[0]);
        Assert.All(server.Keys(pattern: prefix + "*").Select(k => (string)k!), k => Assert.True(k == prefix + "format" || k.StartsWith(prefix + "acme:", StringComparison.Ordinal), k));
    }

    [Fact]
    public async Task Redis_itself_drops_a_used_nonce_record_when_it_may_go()
    {
        var prefix = RedisServer.NewPrefix();
        var stores = new RedisAcmeStores(RedisStores.Open(redis.Multiplexer, prefix).Connection);
        var nonce = AcmeSamples.Id();
        await stores.Nonces.TryRecordUseAsync(nonce, DateTimeOffset.UtcNow.AddMilliseconds(300), None);
        var db = redis.Multiplexer.GetDatabase();
        Assert.True(await db.KeyExistsAsync(prefix + "acme:nonce:" + nonce));

        await Task.Delay(800);

        Assert.False(await db.KeyExistsAsync(prefix + "acme:nonce:" + nonce));
    }

    [Fact]
    public async Task Of_uses_of_one_nonce_raced_on_two_nodes_exactly_one_is_first()
    {
        var prefix = RedisServer.NewPrefix();
        using var first = redis.Connect();
        using var second = redis.Connect();
        var nodes = new[] { new RedisAcmeStores(RedisStores.Open(first, prefix).Connection), new RedisAcmeStores(RedisStores.Open(second, prefix).Connection) };
        var keepUntil = DateTimeOffset.UtcNow.AddMinutes(5);

        for (var round = 0; round < 20; round++)
        {
            var nonce = AcmeSamples.Id();

            var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => nodes[i % 2].Nonces.TryRecordUseAsync(nonce, keepUntil, None))));

            Assert.Equal(1, results.Count(r => r));
        }
    }

    [Fact]
    public async Task Two_nodes_starting_together_on_a_fresh_redis_agree_on_one_nonce_key()
    {
        var prefix = RedisServer.NewPrefix();
        using var first = redis.Connect();
        using var second = redis.Connect();
        var nodes = new[] { new RedisAcmeStores(RedisStores.Open(first, prefix).Connection), new RedisAcmeStores(RedisStores.Open(second, prefix).Connection) };

        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => nodes[i % 2].Nonces.GetOrCreateKeyAsync(None))));

        Assert.All(keys, k => Assert.Equal(keys[0], k));
    }

    [Fact]
    public async Task The_nonce_sweep_removes_the_index_of_issued_nonces_an_earlier_version_kept()
    {
        var prefix = RedisServer.NewPrefix();
        var stores = new RedisAcmeStores(RedisStores.Open(redis.Multiplexer, prefix).Connection);
        var db = redis.Multiplexer.GetDatabase();
        await db.SortedSetAddAsync(prefix + "acme:nonces:expiry", "old-nonce", 1);

        await stores.Nonces.DeleteExpiredAsync(DateTimeOffset.UtcNow, None);

        Assert.False(await db.KeyExistsAsync(prefix + "acme:nonces:expiry"));
    }

    [Fact]
    public async Task An_eab_key_raced_by_two_nodes_binds_exactly_one_account()
    {
        var prefix = RedisServer.NewPrefix();
        using var first = redis.Connect();
        using var second = redis.Connect();
        var nodes = new[] { new RedisAcmeStores(RedisStores.Open(first, prefix).Connection), new RedisAcmeStores(RedisStores.Open(second, prefix).Connection) };
        var key = AcmeSamples.EabKey();
        await nodes[0].ExternalAccountKeys.AddAsync(key, None);
        var accounts = Enumerable.Range(0, 8).Select(_ => AcmeSamples.Account(eabKeyId: key.Id)).ToList();

        var outcomes = await Task.WhenAll(accounts.Select((a, i) => Task.Run(async () =>
        {
            try
            {
                await nodes[i % 2].Accounts.AddAsync(a, None);
                return true;
            }
            catch (PkiProtocolServer.Core.Errors.PkiException)
            {
                return false;
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o));
        var winner = accounts[Array.IndexOf(outcomes, true)];
        Assert.Equal(winner.Id, (await nodes[1].ExternalAccountKeys.GetAsync(key.Id, None))?.BoundAccountId);
        foreach (var loser in accounts.Where(a => a.Id != winner.Id))
        {
            Assert.Null(await nodes[1].Accounts.GetAsync(loser.Id, None));
        }
    }
}
