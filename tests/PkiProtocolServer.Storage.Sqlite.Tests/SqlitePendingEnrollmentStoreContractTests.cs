using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Est.Enrollment;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>The pending EST enrollment store contract against a fresh database file per store.</summary>
public sealed class SqlitePendingEnrollmentStoreContractTests : PendingEnrollmentStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<IPendingEnrollmentStore> CreatePendingEnrollmentStoreAsync() => Task.FromResult(_temp.OpenFresh().EstEnrollments);

    public void Dispose() => _temp.Dispose();
}
