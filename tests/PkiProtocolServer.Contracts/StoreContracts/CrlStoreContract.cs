using PkiProtocolServer.Core.Revocation.Crl;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts;

/// <summary>What every <see cref="ICrlStore"/> must do; providers derive and hand out a fresh, empty store per call.</summary>
public abstract class CrlStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract Task<ICrlStore> CreateCrlStoreAsync();

    [Fact]
    public async Task Crl_numbers_start_at_one_increase_by_issuer_and_issuers_count_apart()
    {
        var store = await CreateCrlStoreAsync();

        Assert.Equal(1, await store.NextNumberAsync("a", None));
        Assert.Equal(2, await store.NextNumberAsync("a", None));
        Assert.Equal(1, await store.NextNumberAsync("b", None));
        Assert.Equal(3, await store.NextNumberAsync("a", None));
    }

    [Fact]
    public async Task Concurrent_callers_never_get_the_same_crl_number()
    {
        var store = await CreateCrlStoreAsync();

        var numbers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => store.NextNumberAsync("a", None))));

        Assert.Equal(Enumerable.Range(1, 50).Select(n => (long)n), numbers.Order());
    }

    [Fact]
    public async Task Complete_delta_and_shard_crls_are_separate_slots_that_read_back_whole()
    {
        var store = await CreateCrlStoreAsync();
        var complete = StoreSamples.Crl("a", 4);
        var delta = StoreSamples.Crl("a", 5, delta: true);
        var shard = StoreSamples.Crl("a", 6, shard: 0);
        var shardDelta = StoreSamples.Crl("a", 7, shard: 0, delta: true);

        foreach (var crl in new[] { complete, delta, shard, shardDelta })
        {
            Assert.True(await store.PublishAsync(crl, None));
        }

        foreach (var crl in new[] { complete, delta, shard, shardDelta })
        {
            var read = await store.GetAsync("a", crl.Info.Shard, crl.Info.IsDelta, None);
            StoreAssert.Same(crl.Info, read?.Info);
            Assert.Equal(crl.Der, read!.Der);
            StoreAssert.Same(crl.Info, await store.GetInfoAsync("a", crl.Info.Shard, crl.Info.IsDelta, None));
        }

        Assert.Null(await store.GetAsync("a", 1, false, None));
        Assert.Null(await store.GetInfoAsync("b", null, false, None));
    }

    [Fact]
    public async Task Publishing_a_crl_with_a_lower_or_equal_number_keeps_the_newer_one()
    {
        var store = await CreateCrlStoreAsync();
        var newer = StoreSamples.Crl("a", 9);
        await store.PublishAsync(newer, None);

        Assert.False(await store.PublishAsync(StoreSamples.Crl("a", 8), None));
        Assert.False(await store.PublishAsync(StoreSamples.Crl("a", 9), None));

        var read = await store.GetAsync("a", null, false, None);
        Assert.Equal(newer.Der, read!.Der);
        Assert.True(await store.PublishAsync(StoreSamples.Crl("a", 10), None));
        Assert.Equal(10, (await store.GetInfoAsync("a", null, false, None))!.Number);
    }

    [Fact]
    public async Task Listing_gives_every_slot_of_one_issuer_only()
    {
        var store = await CreateCrlStoreAsync();
        await store.PublishAsync(StoreSamples.Crl("a", 1), None);
        await store.PublishAsync(StoreSamples.Crl("a", 2, delta: true), None);
        await store.PublishAsync(StoreSamples.Crl("a", 3, shard: 2), None);
        await store.PublishAsync(StoreSamples.Crl("b", 1), None);

        var listed = await store.ListAsync("a", None);

        Assert.Equal([1L, 2L, 3L], listed.Select(c => c.Number).Order());
        Assert.All(listed, c => Assert.Equal("a", c.IssuerId));
        Assert.Empty(await store.ListAsync("c", None));
    }
}
