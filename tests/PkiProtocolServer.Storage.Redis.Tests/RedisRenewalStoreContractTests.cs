using PkiProtocolServer.Contracts.StoreContracts.Acme;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>The renewal window and replacement stores under a fresh key prefix of a real redis-server.</summary>
public sealed class RedisRenewalStoreContractTests(RedisServer redis) : RenewalStoreContract, IClassFixture<RedisServer>
{
    protected override Task<RenewalStoreSet> CreateRenewalStoresAsync()
    {
        var stores = new RedisAcmeStores(redis.OpenFresh().Connection, RedisAcmeStoreFactory.ContractRetention);
        return Task.FromResult(new RenewalStoreSet(stores.RenewalWindows, stores.Replacements));
    }
}
