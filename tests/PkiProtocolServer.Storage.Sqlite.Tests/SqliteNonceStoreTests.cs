using PkiProtocolServer.Contracts.StoreContracts.Acme;
using PkiProtocolServer.Storage.Sqlite.Acme;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>What the nonce contract leaves to each provider: on SQLite nothing expires by itself, so the sweep must.</summary>
public sealed class SqliteNonceStoreTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _temp = new();

    [Fact]
    public async Task The_sweep_removes_records_of_used_nonces_that_expired_and_keeps_the_live_ones()
    {
        var nonces = new SqliteAcmeStores(_temp.OpenFresh().Database).Nonces;
        var now = DateTimeOffset.UtcNow;
        var expired = AcmeSamples.Id();
        var live = AcmeSamples.Id();
        await nonces.TryRecordUseAsync(expired, now.AddMinutes(-1), None);
        await nonces.TryRecordUseAsync(live, now.AddMinutes(1), None);

        Assert.Equal(1, await nonces.DeleteExpiredAsync(now, None));

        Assert.False(await nonces.TryRecordUseAsync(live, now.AddMinutes(1), None));
        Assert.True(await nonces.TryRecordUseAsync(expired, now.AddMinutes(1), None));
    }

    public void Dispose() => _temp.Dispose();
}
