using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Revocation.Ocsp;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>The OCSP responder store contract against a real redis-server.</summary>
public sealed class RedisOcspResponderStoreContractTests(RedisServer redis) : OcspResponderStoreContract, IClassFixture<RedisServer>
{
    protected override Task<IOcspResponderStore> CreateOcspResponderStoreAsync() => Task.FromResult<IOcspResponderStore>(new RedisOcspResponderStore(redis.OpenFresh().Connection));
}
