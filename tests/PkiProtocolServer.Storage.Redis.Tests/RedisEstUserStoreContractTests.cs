using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Est.Users;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>The EST user store contract against a real redis-server.</summary>
public sealed class RedisEstUserStoreContractTests(RedisServer redis) : EstUserStoreContract, IClassFixture<RedisServer>
{
    protected override Task<IEstUserStore> CreateEstUserStoreAsync() => Task.FromResult<IEstUserStore>(new RedisEstUserStore(redis.OpenFresh().Connection));
}
