using PkiProtocolServer.Contracts.StoreContracts.Acme;
using PkiProtocolServer.Storage.Sqlite.Acme;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>Fresh ACME stores over a fresh database file, for every ACME store contract.</summary>
internal static class SqliteAcmeStoreFactory
{
    public static AcmeStoreSet Create(TempDatabase temp)
    {
        var stores = new SqliteAcmeStores(temp.OpenFresh().Database);
        return new AcmeStoreSet(stores.Accounts, stores.Orders, stores.Authorizations, stores.Nonces, stores.Certificates, stores.ExternalAccountKeys);
    }
}

public sealed class SqliteAccountStoreContractTests : AccountStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(SqliteAcmeStoreFactory.Create(_temp));

    public void Dispose() => _temp.Dispose();
}

public sealed class SqliteOrderStoreContractTests : OrderStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(SqliteAcmeStoreFactory.Create(_temp));

    public void Dispose() => _temp.Dispose();
}

public sealed class SqliteAuthorizationStoreContractTests : AuthorizationStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(SqliteAcmeStoreFactory.Create(_temp));

    public void Dispose() => _temp.Dispose();
}

public sealed class SqliteNonceStoreContractTests : NonceStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(SqliteAcmeStoreFactory.Create(_temp));

    public void Dispose() => _temp.Dispose();
}

public sealed class SqliteAcmeCertificateStoreContractTests : AcmeCertificateStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(SqliteAcmeStoreFactory.Create(_temp));

    public void Dispose() => _temp.Dispose();
}

public sealed class SqliteExternalAccountKeyStoreContractTests : ExternalAccountKeyStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(SqliteAcmeStoreFactory.Create(_temp));

    public void Dispose() => _temp.Dispose();
}

public sealed class SqliteAccountRemovalContractTests : AccountRemovalContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<AcmeStoreSet> CreateAcmeStoresAsync() => Task.FromResult(SqliteAcmeStoreFactory.Create(_temp));

    public void Dispose() => _temp.Dispose();
}

public sealed class SqliteRateLimitStoreContractTests : RateLimitStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<PkiProtocolServer.Acme.Stores.IRateLimitStore> CreateRateLimitStoreAsync() =>
        Task.FromResult(new SqliteAcmeStores(_temp.OpenFresh().Database).RateLimits);

    public void Dispose() => _temp.Dispose();
}
