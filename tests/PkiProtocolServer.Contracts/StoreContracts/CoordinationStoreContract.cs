using PkiProtocolServer.Core.Coordination;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts;

/// <summary>What every <see cref="ICoordinationStore"/> must do; providers derive and hand out a fresh, empty store per call.</summary>
public abstract class CoordinationStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    protected abstract Task<ICoordinationStore> CreateCoordinationStoreAsync();

    [Fact]
    public async Task A_free_lease_is_taken_and_another_owner_is_refused_while_it_lasts()
    {
        var store = await CreateCoordinationStoreAsync();
        var now = StoreSamples.Instant;

        Assert.True(await store.TryAcquireLeaseAsync("work", "node-a", now, Minute, None));
        Assert.False(await store.TryAcquireLeaseAsync("work", "node-b", now.AddSeconds(59), Minute, None));
        Assert.True(await store.TryAcquireLeaseAsync("other-work", "node-b", now, Minute, None));
    }

    [Fact]
    public async Task The_holder_renews_its_lease_and_keeps_others_out_longer()
    {
        var store = await CreateCoordinationStoreAsync();
        var now = StoreSamples.Instant;
        await store.TryAcquireLeaseAsync("work", "node-a", now, Minute, None);

        Assert.True(await store.TryAcquireLeaseAsync("work", "node-a", now.AddSeconds(50), Minute, None));

        Assert.False(await store.TryAcquireLeaseAsync("work", "node-b", now.AddSeconds(90), Minute, None));
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_by_another_owner()
    {
        var store = await CreateCoordinationStoreAsync();
        var now = StoreSamples.Instant;
        await store.TryAcquireLeaseAsync("work", "node-a", now, Minute, None);

        Assert.True(await store.TryAcquireLeaseAsync("work", "node-b", now.AddSeconds(61), Minute, None));
        Assert.False(await store.TryAcquireLeaseAsync("work", "node-a", now.AddSeconds(62), Minute, None));
    }

    [Fact]
    public async Task Only_the_holder_releases_a_lease()
    {
        var store = await CreateCoordinationStoreAsync();
        var now = StoreSamples.Instant;
        await store.TryAcquireLeaseAsync("work", "node-a", now, Minute, None);

        await store.ReleaseLeaseAsync("work", "node-b", None);
        Assert.False(await store.TryAcquireLeaseAsync("work", "node-b", now, Minute, None));

        await store.ReleaseLeaseAsync("work", "node-a", None);
        Assert.True(await store.TryAcquireLeaseAsync("work", "node-b", now, Minute, None));
    }

    [Fact]
    public async Task Of_many_concurrent_claimants_exactly_one_gets_the_lease()
    {
        var store = await CreateCoordinationStoreAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => store.TryAcquireLeaseAsync("work", "node-" + i, StoreSamples.Instant, Minute, None))));

        Assert.Single(outcomes, won => won);
    }

    [Fact]
    public async Task Status_documents_read_back_and_are_replaced()
    {
        var store = await CreateCoordinationStoreAsync();
        Assert.Null(await store.GetStatusAsync("tidy", None));

        await store.SetStatusAsync(new StatusDocument("tidy", """{"removed":1}""", StoreSamples.Instant), None);
        await store.SetStatusAsync(new StatusDocument("tidy", """{"removed":2}""", StoreSamples.Instant.AddHours(1)), None);

        var read = await store.GetStatusAsync("tidy", None);
        Assert.Equal("""{"removed":2}""", read!.Json);
        StoreAssert.SameInstant(StoreSamples.Instant.AddHours(1), read.UpdatedAt);
    }
}
