using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Revocation;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>The revocation store contract against a real redis-server, a fresh key prefix per store.</summary>
public sealed class RedisRevocationStoreContractTests(RedisServer redis) : RevocationStoreContract, IClassFixture<RedisServer>
{
    protected override Task<IRevocationStore> CreateRevocationStoreAsync() => Task.FromResult<IRevocationStore>(new RedisRevocationStore(redis.OpenFresh().Connection));
}
