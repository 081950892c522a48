using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Revocation;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>
/// What the revocation stores do beyond the contracts: streaming pages through the indexes, the documented key
/// layout (database 5, a prefix of its own), and the TTLs of leases and cached OCSP responses.
/// </summary>
public sealed class RedisRevocationLayoutTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Streaming_pages_through_more_entries_than_one_page_and_returns_each_once()
    {
        var store = new RedisRevocationStore(redis.OpenFresh().Connection);
        var count = (RedisRevocationStore.StreamPageSize * 2) + 17;
        var added = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => store.AddAsync(StoreSamples.Revocation(shard: 1), None)));
        await store.AddAsync(StoreSamples.Revocation(issuerId: "other"), None);

        var all = await ToListAsync(store.StreamAsync(new RevocationQuery { IssuerIds = ["iss-1"] }, None));
        var upTo = added.Select(a => a.Entry.Sequence).Order().ElementAt(RedisRevocationStore.StreamPageSize + 5);
        var window = await ToListAsync(store.StreamAsync(new RevocationQuery { IssuerIds = ["iss-1"], Shard = 1, AfterSequence = 3, UpToSequence = upTo }, None));

        Assert.Equal(added.Select(a => a.Entry.Serial).Order(StringComparer.Ordinal), all.Select(e => e.Serial).Order(StringComparer.Ordinal));
        Assert.All(all, e => Assert.Null(e.CertificateDer));
        Assert.Equal(added.Count(a => a.Entry.Sequence > 3 && a.Entry.Sequence <= upTo), window.Count);
        Assert.Equal(window.Count, window.Select(e => e.Serial).Distinct().Count());
    }

    [Fact]
    public async Task Every_key_written_follows_the_documented_layout_with_ttls_on_leases_and_cached_responses()
    {
        using var multiplexer = redis.Connect(",defaultDatabase=5");
        const string prefix = "pki-rev-layout:";
        var connection = RedisStores.Open(multiplexer, prefix).Connection;
        var revocation = StoreSamples.Revocation(shard: 4);
        var response = StoreSamples.OcspResponse();
        await new RedisRevocationStore(connection).AddAsync(revocation, None);
        var crls = new RedisCrlStore(connection);
        await crls.PublishAsync(StoreSamples.Crl("iss-1", await crls.NextNumberAsync("iss-1", None), shard: 4, delta: true), None);
        await new RedisOcspResponderStore(connection).AddAsync(StoreSamples.Responder("iss-1", StoreSamples.Instant, StoreSamples.Instant.AddDays(1)), None);
        await new RedisOcspResponseCache(connection).PutAsync(response, None);
        var coordination = new RedisCoordinationStore(connection);
        await coordination.TryAcquireLeaseAsync("tidy", "node-a", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), None);
        await coordination.SetStatusAsync(new("tidy", "{}", StoreSamples.Instant), None);

        var server = multiplexer.GetServer(multiplexer.GetEndPoints()[0]);
        var keys = server.Keys(database: 5, pattern: prefix + "*").Select(k => ((string)k!)[prefix.Length..]).Order(StringComparer.Ordinal).ToArray();

        string[] expected =
        [
            "crl-number:iss-1", "crl:iss-1:4:delta", "crls:iss-1", "format", "lease:tidy", "ocsp-responders", "ocsp:" + response.Key,
            "ocsp:next-update", "ocsp:refresh-at", "ocsp:serial:" + response.Serial, "revocation:" + revocation.Serial,
            "revocations:by-sequence", "revocations:issuer:iss-1", "revocations:issuer:iss-1:shard:4", "revocations:issuer:iss-1:shards",
            "revocations:not-after", "revocations:sequence", "status:tidy",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), keys);
        var db = multiplexer.GetDatabase();
        Assert.InRange((await db.KeyTimeToLiveAsync(prefix + "lease:tidy"))!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.InRange((await db.KeyTimeToLiveAsync(prefix + "ocsp:" + response.Key))!.Value, TimeSpan.FromHours(12), TimeSpan.FromHours(13));
        Assert.Null(await db.KeyTimeToLiveAsync(prefix + "revocation:" + revocation.Serial));
        Assert.StartsWith("{\"sequence\":1,\"serial\":", (string?)await db.StringGetAsync(prefix + "revocation:" + revocation.Serial), StringComparison.Ordinal);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
