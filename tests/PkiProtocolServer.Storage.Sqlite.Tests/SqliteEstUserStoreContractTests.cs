using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Est.Users;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>The EST user store contract against a fresh database file per store.</summary>
public sealed class SqliteEstUserStoreContractTests : EstUserStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<IEstUserStore> CreateEstUserStoreAsync() => Task.FromResult(_temp.OpenFresh().EstUsers);

    public void Dispose() => _temp.Dispose();
}
