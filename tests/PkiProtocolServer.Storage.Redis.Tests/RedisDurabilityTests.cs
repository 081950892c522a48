using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>What happens to records when Redis itself crashes or goes away.</summary>
public sealed class RedisDurabilityTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task With_aof_fsync_always_every_acknowledged_record_survives_a_redis_crash()
    {
        using var redis = new RedisServer("--appendfsync", "always");
        var prefix = RedisServer.NewPrefix();
        var issuer = StoreSamples.Issuer();
        var certificates = Enumerable.Range(0, 50).Select(_ => StoreSamples.Certificate(issuerId: issuer.Id)).ToArray();
        using (var multiplexer = redis.Connect())
        {
            var stores = RedisStores.Open(multiplexer, prefix);
            await stores.Issuers.AddAsync(issuer, null, makeDefault: true, None);
            foreach (var certificate in certificates)
            {
                await stores.Certificates.AddAsync(certificate, None);
            }

            redis.CrashAndRestart();
        }

        using var after = redis.Connect();
        var reopened = RedisStores.Open(after, prefix);
        StoreAssert.Same(issuer, await reopened.Issuers.GetAsync(issuer.Id, None));
        Assert.Equal(issuer.Id, await reopened.Issuers.GetDefaultIdAsync(None));
        Assert.Equal(
            certificates.Select(c => c.Serial).Order(StringComparer.Ordinal),
            (await reopened.Certificates.ListAsync(null, 100, None)).Select(c => c.Serial));
    }

    [Fact]
    public async Task When_redis_goes_away_store_calls_fail_as_unavailable()
    {
        using var redis = new RedisServer();
        using var multiplexer = redis.Connect(",asyncTimeout=1000,syncTimeout=1000,connectTimeout=500");
        var stores = RedisStores.Open(multiplexer, RedisServer.NewPrefix());
        await stores.Roles.PutAsync(StoreSamples.Role(), None);

        redis.Stop();

        var read = await StoreAssert.ThrowsKind(PkiErrorKind.Unavailable, () => stores.Roles.ListAsync(None));
        var write = await StoreAssert.ThrowsKind(PkiErrorKind.Unavailable, () => stores.Certificates.AddAsync(StoreSamples.Certificate(), None));
        Assert.Contains("retry later", read.Message);
        Assert.Contains("may or may not have been made", write.Message);
    }

    [Fact]
    public async Task The_server_facts_report_aof_and_eviction_and_warn_when_either_is_unsafe()
    {
        using var safe = new RedisServer();
        using var unsafeServer = new RedisServer("--appendonly", "no", "--maxmemory-policy", "allkeys-lru");
        using var safeStores = RedisStores.Connect(new RedisStoreOptions { Configuration = safe.Endpoint });
        using var unsafeStores = RedisStores.Connect(new RedisStoreOptions { Configuration = unsafeServer.Endpoint });

        var good = await safeStores.Connection.GetServerFactsAsync(None);
        var bad = await unsafeStores.Connection.GetServerFactsAsync(None);

        Assert.Equal(new RedisServerFacts(true, "noeviction"), good);
        Assert.Empty(good.Warnings);
        Assert.Equal(new RedisServerFacts(false, "allkeys-lru"), bad);
        Assert.Equal(2, bad.Warnings.Count);
        Assert.Contains(bad.Warnings, w => w.Contains("appendonly yes", StringComparison.Ordinal));
        Assert.Contains(bad.Warnings, w => w.Contains("maxmemory-policy noeviction", StringComparison.Ordinal));
    }
}
