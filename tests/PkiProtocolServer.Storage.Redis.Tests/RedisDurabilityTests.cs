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
}
