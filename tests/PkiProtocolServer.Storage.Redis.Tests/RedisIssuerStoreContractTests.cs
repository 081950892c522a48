using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Issuers;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>The issuer store contract against a real redis-server, a fresh key prefix per store.</summary>
public sealed class RedisIssuerStoreContractTests(RedisServer redis) : IssuerStoreContract, IClassFixture<RedisServer>
{
    protected override Task<IIssuerStore> CreateIssuerStoreAsync() => Task.FromResult(redis.OpenFresh().Issuers);
}
