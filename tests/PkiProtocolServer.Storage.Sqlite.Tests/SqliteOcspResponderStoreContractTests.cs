using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Revocation.Ocsp;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>The OcspResponderStore contract against a fresh database file per store.</summary>
public sealed class SqliteOcspResponderStoreContractTests : OcspResponderStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<IOcspResponderStore> CreateOcspResponderStoreAsync() => Task.FromResult(_temp.OpenFresh().OcspResponders);

    public void Dispose() => _temp.Dispose();
}
