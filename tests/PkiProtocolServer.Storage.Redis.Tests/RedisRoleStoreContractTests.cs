using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Roles;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>The role store contract against a real redis-server, a fresh key prefix per store.</summary>
public sealed class RedisRoleStoreContractTests(RedisServer redis) : RoleStoreContract, IClassFixture<RedisServer>
{
    protected override Task<IRoleStore> CreateRoleStoreAsync() => Task.FromResult(redis.OpenFresh().Roles);
}
