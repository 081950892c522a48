using PkiProtocolServer.Contracts.StoreContracts;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>
/// Two stores opened on one database file stand for two server processes sharing a data directory: the
/// lease, the revocation sequence and CRL numbers must hold across them, not only within one.
/// </summary>
public sealed class SharedDataDirectoryTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_lease_held_through_one_store_is_refused_through_another_on_the_same_file()
    {
        var options = _temp.Options("shared.db");
        var a = _temp.Track(SqliteStores.Open(options));
        var b = _temp.Track(SqliteStores.Open(options));

        Assert.True(await a.Coordination.TryAcquireLeaseAsync("crl", "node-a", StoreSamples.Instant, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.False(await b.Coordination.TryAcquireLeaseAsync("crl", "node-b", StoreSamples.Instant, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task Revocations_and_crl_numbers_from_two_stores_on_one_file_never_collide()
    {
        var options = _temp.Options("shared.db");
        var a = _temp.Track(SqliteStores.Open(options));
        var b = _temp.Track(SqliteStores.Open(options));

        var sequences = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(async () => (await (i % 2 == 0 ? a : b).Revocations.AddAsync(StoreSamples.Revocation(), CancellationToken.None)).Entry.Sequence)));
        var numbers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => (i % 2 == 0 ? a : b).Crls.NextNumberAsync("issuer", CancellationToken.None))));

        Assert.Equal(40, sequences.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 40).Select(n => (long)n), numbers.Order());
    }
}
