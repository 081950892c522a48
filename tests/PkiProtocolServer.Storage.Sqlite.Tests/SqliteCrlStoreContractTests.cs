using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Revocation.Crl;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>The CrlStore contract against a fresh database file per store.</summary>
public sealed class SqliteCrlStoreContractTests : CrlStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<ICrlStore> CreateCrlStoreAsync() => Task.FromResult(_temp.OpenFresh().Crls);

    public void Dispose() => _temp.Dispose();
}
