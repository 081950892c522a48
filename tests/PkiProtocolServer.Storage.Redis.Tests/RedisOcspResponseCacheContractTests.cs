using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Revocation.Ocsp;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>The OCSP response cache contract against a real redis-server.</summary>
public sealed class RedisOcspResponseCacheContractTests(RedisServer redis) : OcspResponseCacheContract, IClassFixture<RedisServer>
{
    protected override Task<IOcspResponseCache> CreateOcspResponseCacheAsync() => Task.FromResult<IOcspResponseCache>(new RedisOcspResponseCache(redis.OpenFresh().Connection));
}
