using PkiProtocolServer.Contracts.StoreContracts.Acme;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>Fresh ACME stores under a fresh key prefix of a real redis-server, for every ACME store contract.</summary>
internal static class RedisAcmeStoreFactory
{
    /// <summary>
    /// The contracts' instants are fixed (<see cref="AcmeSamples.Now"/>) and may lie in the wall clock's past, while a
    /// key TTL is measured against Redis's own clock: a long retention keeps the backstop TTL from dropping records the
    /// contract still reads. Expiry as the contracts see it is the stores' own checks and purges, tested here.
    /// </summary>
    public static readonly TimeSpan ContractRetention = TimeSpan.FromDays(36500);

    public static AcmeStoreSet Create(RedisServer redis)
    {
        var stores = new RedisAcmeStores(redis.OpenFresh().Connection, ContractRetention);
        return new AcmeStoreSet(stores.Accounts, stores.Orders, stores.Authorizations, stores.Nonces, stores.Certificates, stores.ExternalAccountKeys);
    }
}

public sealed class RedisAccountStoreContractTests(RedisServer redis) : AccountStoreContract, IClassFixture<RedisServer>
{
    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(RedisAcmeStoreFactory.Create(redis));
}

public sealed class RedisOrderStoreContractTests(RedisServer redis) : OrderStoreContract, IClassFixture<RedisServer>
{
    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(RedisAcmeStoreFactory.Create(redis));
}

public sealed class RedisAuthorizationStoreContractTests(RedisServer redis) : AuthorizationStoreContract, IClassFixture<RedisServer>
{
    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(RedisAcmeStoreFactory.Create(redis));
}

public sealed class RedisNonceStoreContractTests(RedisServer redis) : NonceStoreContract, IClassFixture<RedisServer>
{
    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(RedisAcmeStoreFactory.Create(redis));
}

public sealed class RedisAcmeCertificateStoreContractTests(RedisServer redis) : AcmeCertificateStoreContract, IClassFixture<RedisServer>
{
    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(RedisAcmeStoreFactory.Create(redis));
}

public sealed class RedisExternalAccountKeyStoreContractTests(RedisServer redis) : ExternalAccountKeyStoreContract, IClassFixture<RedisServer>
{
    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(RedisAcmeStoreFactory.Create(redis));
}

public sealed class RedisAccountRemovalContractTests(RedisServer redis) : AccountRemovalContract, IClassFixture<RedisServer>
{
    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(RedisAcmeStoreFactory.Create(redis));
}

public sealed class RedisRateLimitStoreContractTests(RedisServer redis) : RateLimitStoreContract, IClassFixture<RedisServer>
{
    protected override Task<PkiProtocolServer.Acme.Stores.IRateLimitStore> CreateRateLimitStoreAsync() =>
        Task.FromResult(new RedisAcmeStores(redis.OpenFresh().Connection, RedisAcmeStoreFactory.ContractRetention).RateLimits);
}
