using PkiProtocolServer.Core.Revocation;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts;

/// <summary>What every <see cref="IRevocationStore"/> must do; providers derive and hand out a fresh, empty store per call.</summary>
public abstract class RevocationStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract Task<IRevocationStore> CreateRevocationStoreAsync();

    [Fact]
    public async Task An_added_revocation_reads_back_with_every_field_and_a_positive_sequence()
    {
        var store = await CreateRevocationStoreAsync();
        var entry = StoreSamples.Revocation();

        var (recorded, added) = await store.AddAsync(entry, None);

        Assert.True(added);
        Assert.True(recorded.Sequence > 0);
        StoreAssert.Same(entry, recorded);
        var read = await store.GetAsync(entry.Serial, None);
        StoreAssert.Same(entry, read);
        Assert.Equal(recorded.Sequence, read!.Sequence);
    }

    [Fact]
    public async Task An_entry_without_shard_invalidity_date_or_certificate_reads_back_with_nulls()
    {
        var store = await CreateRevocationStoreAsync();
        var entry = StoreSamples.Revocation(shard: null) with { InvalidityDate = null, CertificateDer = null, Reason = RevocationReason.Unspecified };

        await store.AddAsync(entry, None);

        StoreAssert.Same(entry, await store.GetAsync(entry.Serial, None));
    }

    [Fact]
    public async Task An_unrevoked_serial_reads_as_null()
    {
        var store = await CreateRevocationStoreAsync();
        await store.AddAsync(StoreSamples.Revocation(), None);

        Assert.Null(await store.GetAsync(StoreSamples.NewSerial(), None));
    }

    [Fact]
    public async Task Revoking_a_serial_again_returns_the_first_revocation_unchanged_and_adds_nothing()
    {
        var store = await CreateRevocationStoreAsync();
        var first = StoreSamples.Revocation();
        var (recorded, _) = await store.AddAsync(first, None);

        var (again, added) = await store.AddAsync(first with { Reason = RevocationReason.Superseded, RevokedAt = first.RevokedAt.AddHours(1), IssuerId = "other" }, None);

        Assert.False(added);
        StoreAssert.Same(first, again);
        Assert.Equal(recorded.Sequence, again.Sequence);
        StoreAssert.Same(first, await store.GetAsync(first.Serial, None));
        Assert.Single(await store.ListAfterAsync(0, 10, None));
    }

    [Fact]
    public async Task Sequences_increase_in_the_order_revocations_are_recorded()
    {
        var store = await CreateRevocationStoreAsync();
        var sequences = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            sequences.Add((await store.AddAsync(StoreSamples.Revocation(), None)).Entry.Sequence);
        }

        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(5, sequences.Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_revocations_of_one_serial_record_exactly_one()
    {
        var store = await CreateRevocationStoreAsync();
        var serial = StoreSamples.NewSerial();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => store.AddAsync(StoreSamples.Revocation(serial, issuerId: "issuer-" + i), None))));

        Assert.Single(outcomes, o => o.Added);
        Assert.All(outcomes, o => Assert.Equal(outcomes.Single(x => x.Added).Entry.IssuerId, o.Entry.IssuerId));
        Assert.Single(await store.ListAfterAsync(0, 100, None));
    }

    [Fact]
    public async Task Concurrent_revocations_of_distinct_serials_get_distinct_sequences()
    {
        var store = await CreateRevocationStoreAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => store.AddAsync(StoreSamples.Revocation(), None))));

        Assert.All(outcomes, o => Assert.True(o.Added));
        Assert.Equal(100, outcomes.Select(o => o.Entry.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task Streaming_returns_only_the_given_issuers_entries()
    {
        var store = await CreateRevocationStoreAsync();
        var mine = await AddAllAsync(store, StoreSamples.Revocation(issuerId: "a"), StoreSamples.Revocation(issuerId: "b"), StoreSamples.Revocation(issuerId: "a"));
        await store.AddAsync(StoreSamples.Revocation(issuerId: "c"), None);

        var streamed = await ToListAsync(store.StreamAsync(new RevocationQuery { IssuerIds = ["a", "b"] }, None));

        Assert.Equal(mine.Select(e => e.Serial).Order(), streamed.Select(e => e.Serial).Order());
        var first = streamed.Single(e => e.Serial == mine[0].Serial);
        Assert.Equal(mine[0].Sequence, first.Sequence);
        Assert.Equal(mine[0].Reason, first.Reason);
        StoreAssert.SameInstant(mine[0].RevokedAt, first.RevokedAt);
        Assert.Equal(mine[0].InvalidityDate?.ToUnixTimeMilliseconds(), first.InvalidityDate?.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Streaming_filters_by_shard_sequence_window_and_expiry()
    {
        var store = await CreateRevocationStoreAsync();
        var entries = await AddAllAsync(
            store,
            StoreSamples.Revocation(shard: 1),
            StoreSamples.Revocation(shard: 2),
            StoreSamples.Revocation(shard: 1) with { NotAfter = StoreSamples.Instant.AddDays(-10) },
            StoreSamples.Revocation(shard: null),
            StoreSamples.Revocation(shard: 1));

        var shardOne = await ToListAsync(store.StreamAsync(new RevocationQuery { IssuerIds = ["iss-1"], Shard = 1 }, None));
        var window = await ToListAsync(store.StreamAsync(new RevocationQuery { IssuerIds = ["iss-1"], AfterSequence = entries[0].Sequence, UpToSequence = entries[3].Sequence }, None));
        var unexpired = await ToListAsync(store.StreamAsync(new RevocationQuery { IssuerIds = ["iss-1"], NotAfterFrom = StoreSamples.Instant }, None));

        Assert.Equal(new[] { entries[0], entries[2], entries[4] }.Select(e => e.Serial).Order(), shardOne.Select(e => e.Serial).Order());
        Assert.Equal(new[] { entries[1], entries[2], entries[3] }.Select(e => e.Serial).Order(), window.Select(e => e.Serial).Order());
        Assert.DoesNotContain(unexpired, e => e.Serial == entries[2].Serial);
        Assert.Equal(4, unexpired.Count);
    }

    [Fact]
    public async Task Watermarks_give_the_highest_sequence_of_each_shard_including_entries_without_one()
    {
        var store = await CreateRevocationStoreAsync();
        var entries = await AddAllAsync(
            store,
            StoreSamples.Revocation(shard: 0),
            StoreSamples.Revocation(shard: null),
            StoreSamples.Revocation(shard: 0),
            StoreSamples.Revocation(shard: 5),
            StoreSamples.Revocation(shard: null, issuerId: "other"));

        var watermarks = await store.WatermarksAsync(["iss-1"], None);

        Assert.Equal(3, watermarks.Count);
        Assert.Equal(entries[2].Sequence, watermarks.Single(w => w.Shard == 0).MaxSequence);
        Assert.Equal(entries[1].Sequence, watermarks.Single(w => w.Shard is null).MaxSequence);
        Assert.Equal(entries[3].Sequence, watermarks.Single(w => w.Shard == 5).MaxSequence);
        Assert.Empty(await store.WatermarksAsync(["nobody"], None));
        Assert.Empty(await store.WatermarksAsync([], None));
    }

    [Fact]
    public async Task Listing_after_a_sequence_pages_in_sequence_order()
    {
        var store = await CreateRevocationStoreAsync();
        var entries = await AddAllAsync(store, Enumerable.Range(0, 7).Select(_ => StoreSamples.Revocation()).ToArray());

        var first = await store.ListAfterAsync(0, 4, None);
        var rest = await store.ListAfterAsync(first[^1].Sequence, 4, None);

        Assert.Equal(entries.Select(e => e.Serial), first.Concat(rest).Select(e => e.Serial));
        Assert.Equal(3, rest.Count);
        Assert.Empty(await store.ListAfterAsync(entries[^1].Sequence, 4, None));
    }

    [Fact]
    public async Task Deleting_expired_entries_removes_only_those_expired_before_the_cutoff_in_batches()
    {
        var store = await CreateRevocationStoreAsync();
        var expired = await AddAllAsync(store, Enumerable.Range(0, 3).Select(i => StoreSamples.Revocation() with { NotAfter = StoreSamples.Instant.AddDays(-i - 1) }).ToArray());
        var current = await AddAllAsync(store, StoreSamples.Revocation() with { NotAfter = StoreSamples.Instant.AddMilliseconds(1) });

        Assert.Equal(2, await store.DeleteExpiredAsync(StoreSamples.Instant, 2, None));
        Assert.Equal(1, await store.DeleteExpiredAsync(StoreSamples.Instant, 2, None));
        Assert.Equal(0, await store.DeleteExpiredAsync(StoreSamples.Instant, 2, None));

        foreach (var entry in expired)
        {
            Assert.Null(await store.GetAsync(entry.Serial, None));
        }

        Assert.NotNull(await store.GetAsync(current[0].Serial, None));
    }

    private static async Task<List<RevocationEntry>> AddAllAsync(IRevocationStore store, params RevocationEntry[] entries)
    {
        var recorded = new List<RevocationEntry>();
        foreach (var entry in entries)
        {
            recorded.Add((await store.AddAsync(entry, None)).Entry);
        }

        return recorded;
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
