using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Issuers;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>The issuer store contract against a fresh database file per store.</summary>
public sealed class SqliteIssuerStoreContractTests : IssuerStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<IIssuerStore> CreateIssuerStoreAsync() => Task.FromResult(_temp.OpenFresh().Issuers);

    public void Dispose() => _temp.Dispose();
}
