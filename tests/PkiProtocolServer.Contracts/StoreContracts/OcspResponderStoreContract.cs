using PkiProtocolServer.Core.Revocation.Ocsp;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts;

/// <summary>What every <see cref="IOcspResponderStore"/> must do; providers derive and hand out a fresh, empty store per call.</summary>
public abstract class OcspResponderStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract Task<IOcspResponderStore> CreateOcspResponderStoreAsync();

    [Fact]
    public async Task The_current_responder_is_the_one_created_last_with_every_field()
    {
        var store = await CreateOcspResponderStoreAsync();
        var older = StoreSamples.Responder("a", StoreSamples.Instant, StoreSamples.Instant.AddDays(7));
        var newer = StoreSamples.Responder("a", StoreSamples.Instant.AddDays(5), StoreSamples.Instant.AddDays(12));
        await store.AddAsync(newer, None);
        await store.AddAsync(older, None);
        await store.AddAsync(StoreSamples.Responder("b", StoreSamples.Instant.AddDays(9), StoreSamples.Instant.AddDays(16)), None);

        StoreAssert.Same(newer, await store.GetCurrentAsync("a", None));
        Assert.Null(await store.GetCurrentAsync("c", None));
    }

    [Fact]
    public async Task Deleting_expired_responders_returns_exactly_those_removed()
    {
        var store = await CreateOcspResponderStoreAsync();
        var expired = StoreSamples.Responder("a", StoreSamples.Instant.AddDays(-10), StoreSamples.Instant.AddDays(-3));
        var current = StoreSamples.Responder("a", StoreSamples.Instant, StoreSamples.Instant.AddDays(7));
        await store.AddAsync(expired, None);
        await store.AddAsync(current, None);

        var removed = await store.DeleteExpiredAsync(StoreSamples.Instant, None);

        StoreAssert.Same(expired, Assert.Single(removed));
        StoreAssert.Same(current, await store.GetCurrentAsync("a", None));
        Assert.Empty(await store.DeleteExpiredAsync(StoreSamples.Instant, None));
    }
}
