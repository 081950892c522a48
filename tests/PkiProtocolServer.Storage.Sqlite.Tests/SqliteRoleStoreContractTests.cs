using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Roles;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>The role store contract against a fresh database file per store.</summary>
public sealed class SqliteRoleStoreContractTests : RoleStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();

    protected override Task<IRoleStore> CreateRoleStoreAsync() => Task.FromResult(_temp.OpenFresh().Roles);

    public void Dispose() => _temp.Dispose();
}
