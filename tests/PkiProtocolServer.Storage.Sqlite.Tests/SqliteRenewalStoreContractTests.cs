using PkiProtocolServer.Contracts.StoreContracts.Acme;
using PkiProtocolServer.Storage.Sqlite.Acme;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>The renewal window and replacement stores over a fresh database file (schema migration 5).</summary>
public sealed class SqliteRenewalStoreContractTests : RenewalStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<RenewalStoreSet> CreateRenewalStoresAsync()
    {
        var stores = new SqliteAcmeStores(_temp.OpenFresh().Database);
        return Task.FromResult(new RenewalStoreSet(stores.RenewalWindows, stores.Replacements));
    }

    public void Dispose() => _temp.Dispose();
}
