using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Revocation.Ocsp;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>The OcspResponseCache contract against a fresh database file per store.</summary>
public sealed class SqliteOcspResponseCacheContractTests : OcspResponseCacheContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<IOcspResponseCache> CreateOcspResponseCacheAsync() => Task.FromResult(_temp.OpenFresh().OcspResponses);

    public void Dispose() => _temp.Dispose();
}
