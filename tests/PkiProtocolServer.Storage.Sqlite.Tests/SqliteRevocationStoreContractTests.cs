using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Revocation;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>The RevocationStore contract against a fresh database file per store.</summary>
public sealed class SqliteRevocationStoreContractTests : RevocationStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<IRevocationStore> CreateRevocationStoreAsync() => Task.FromResult(_temp.OpenFresh().Revocations);

    public void Dispose() => _temp.Dispose();
}
