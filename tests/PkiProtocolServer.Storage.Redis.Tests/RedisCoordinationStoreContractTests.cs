using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Coordination;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>The coordination store contract against a real redis-server.</summary>
public sealed class RedisCoordinationStoreContractTests(RedisServer redis) : CoordinationStoreContract, IClassFixture<RedisServer>
{
    protected override Task<ICoordinationStore> CreateCoordinationStoreAsync() => Task.FromResult<ICoordinationStore>(new RedisCoordinationStore(redis.OpenFresh().Connection));
}
