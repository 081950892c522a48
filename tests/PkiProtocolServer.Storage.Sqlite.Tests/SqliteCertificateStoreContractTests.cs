using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Certificates;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>The certificate store contract against a fresh database file per store.</summary>
public sealed class SqliteCertificateStoreContractTests : CertificateStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<ICertificateStore> CreateCertificateStoreAsync() => Task.FromResult(_temp.OpenFresh().Certificates);

    public void Dispose() => _temp.Dispose();
}
