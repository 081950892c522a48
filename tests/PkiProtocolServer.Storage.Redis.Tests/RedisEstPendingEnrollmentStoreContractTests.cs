using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Est.Enrollment;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>The held-enrollment store contract against a real redis-server.</summary>
public sealed class RedisEstPendingEnrollmentStoreContractTests(RedisServer redis) : PendingEnrollmentStoreContract, IClassFixture<RedisServer>
{
    protected override Task<IPendingEnrollmentStore> CreatePendingEnrollmentStoreAsync() => Task.FromResult<IPendingEnrollmentStore>(new RedisEstPendingEnrollmentStore(redis.OpenFresh().Connection));
}
