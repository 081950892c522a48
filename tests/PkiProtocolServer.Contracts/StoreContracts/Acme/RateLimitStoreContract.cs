using PkiProtocolServer.Acme.Stores;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts.Acme;

/// <summary>What every <see cref="IRateLimitStore"/> must do: a fixed window per key, never passed by concurrent takers, reset when it ends.</summary>
public abstract class RateLimitStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>A new, empty store (each call its own state).</summary>
    protected abstract Task<IRateLimitStore> CreateRateLimitStoreAsync();

    [Fact]
    public async Task Takes_up_to_the_limit_then_refuses_until_the_window_ends()
    {
        var store = await CreateRateLimitStoreAsync();
        var key = AcmeSamples.Id();

        for (var i = 0; i < 3; i++)
        {
            var taken = await store.TryTakeAsync(key, 3, Hour, AcmeSamples.Now.AddMinutes(i), None);
            Assert.True(taken.Allowed);
            Assert.Equal(AcmeSamples.Now + Hour, taken.WindowEnds);
        }

        var refused = await store.TryTakeAsync(key, 3, Hour, AcmeSamples.Now.AddMinutes(59), None);

        Assert.False(refused.Allowed);
        Assert.Equal(AcmeSamples.Now + Hour, refused.WindowEnds);
    }

    [Fact]
    public async Task Concurrent_takers_never_exceed_the_limit()
    {
        var store = await CreateRateLimitStoreAsync();
        var key = AcmeSamples.Id();

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => store.TryTakeAsync(key, 10, Hour, AcmeSamples.Now, None))));

        Assert.Equal(10, results.Count(r => r.Allowed));
    }

    [Fact]
    public async Task A_new_window_opens_when_the_old_one_ends()
    {
        var store = await CreateRateLimitStoreAsync();
        var key = AcmeSamples.Id();
        await store.TryTakeAsync(key, 1, Hour, AcmeSamples.Now, None);
        Assert.False((await store.TryTakeAsync(key, 1, Hour, AcmeSamples.Now.AddMinutes(30), None)).Allowed);

        var next = await store.TryTakeAsync(key, 1, Hour, AcmeSamples.Now + Hour, None);

        Assert.True(next.Allowed);
        Assert.Equal(AcmeSamples.Now + Hour + Hour, next.WindowEnds);
        Assert.False((await store.TryTakeAsync(key, 1, Hour, AcmeSamples.Now + Hour, None)).Allowed);
    }

    [Fact]
    public async Task Keys_count_independently()
    {
        var store = await CreateRateLimitStoreAsync();
        var full = AcmeSamples.Id();
        await store.TryTakeAsync(full, 1, Hour, AcmeSamples.Now, None);

        Assert.False((await store.TryTakeAsync(full, 1, Hour, AcmeSamples.Now, None)).Allowed);
        Assert.True((await store.TryTakeAsync(AcmeSamples.Id(), 1, Hour, AcmeSamples.Now, None)).Allowed);
    }

    [Fact]
    public async Task Peeking_takes_nothing_and_sees_a_full_window()
    {
        var store = await CreateRateLimitStoreAsync();
        var key = AcmeSamples.Id();
        async Task<RateLimitDecision> PeekAsync(DateTimeOffset at) => (await store.PeekAsync([new RateLimitWindow(key, 2)], at, None)).Single();

        Assert.True((await PeekAsync(AcmeSamples.Now)).Allowed);
        Assert.True((await PeekAsync(AcmeSamples.Now)).Allowed);
        await store.TryTakeAsync(key, 2, Hour, AcmeSamples.Now, None);
        Assert.True((await PeekAsync(AcmeSamples.Now)).Allowed);
        await store.TryTakeAsync(key, 2, Hour, AcmeSamples.Now, None);

        var full = await PeekAsync(AcmeSamples.Now.AddMinutes(1));

        Assert.False(full.Allowed);
        Assert.Equal(AcmeSamples.Now + Hour, full.WindowEnds);
        Assert.True((await PeekAsync(AcmeSamples.Now + Hour)).Allowed);
    }

    [Fact]
    public async Task One_peek_answers_for_several_windows_in_the_order_asked_each_with_its_own_limit()
    {
        var store = await CreateRateLimitStoreAsync();
        var full = AcmeSamples.Id();
        var roomy = AcmeSamples.Id();
        await store.TryTakeAsync(full, 1, Hour, AcmeSamples.Now, None);
        await store.TryTakeAsync(roomy, 5, Hour, AcmeSamples.Now, None);

        var decisions = await store.PeekAsync([new RateLimitWindow(roomy, 5), new RateLimitWindow(AcmeSamples.Id(), 1), new RateLimitWindow(full, 1), new RateLimitWindow(roomy, 1)], AcmeSamples.Now, None);

        Assert.Equal([true, true, false, false], decisions.Select(d => d.Allowed));
        Assert.Equal(AcmeSamples.Now + Hour, decisions[2].WindowEnds);
        Assert.Empty(await store.PeekAsync([], AcmeSamples.Now, None));
    }

    [Fact]
    public async Task Removing_ended_windows_keeps_open_ones_counting()
    {
        var store = await CreateRateLimitStoreAsync();
        var ended = AcmeSamples.Id();
        var open = AcmeSamples.Id();
        await store.TryTakeAsync(ended, 1, TimeSpan.FromMinutes(1), AcmeSamples.Now, None);
        await store.TryTakeAsync(open, 1, Hour, AcmeSamples.Now, None);

        await store.DeleteExpiredAsync(AcmeSamples.Now.AddMinutes(5), None);

        Assert.False((await store.TryTakeAsync(open, 1, Hour, AcmeSamples.Now.AddMinutes(5), None)).Allowed);
        Assert.True((await store.TryTakeAsync(ended, 1, TimeSpan.FromMinutes(1), AcmeSamples.Now.AddMinutes(5), None)).Allowed);
    }
}
