using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Revocation.Crl;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>The CRL store contract against a real redis-server.</summary>
public sealed class RedisCrlStoreContractTests(RedisServer redis) : CrlStoreContract, IClassFixture<RedisServer>
{
    protected override Task<ICrlStore> CreateCrlStoreAsync() => Task.FromResult<ICrlStore>(new RedisCrlStore(redis.OpenFresh().Connection));
}
