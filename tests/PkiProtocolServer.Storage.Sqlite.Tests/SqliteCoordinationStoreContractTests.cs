using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Coordination;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>The CoordinationStore contract against a fresh database file per store.</summary>
public sealed class SqliteCoordinationStoreContractTests : CoordinationStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<ICoordinationStore> CreateCoordinationStoreAsync() => Task.FromResult(_temp.OpenFresh().Coordination);

    public void Dispose() => _temp.Dispose();
}
