using PkiProtocolServer.Core.Revocation.Ocsp;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts;

/// <summary>What every <see cref="IOcspResponseCache"/> must do; providers derive and hand out a fresh, empty cache per call.</summary>
public abstract class OcspResponseCacheContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract Task<IOcspResponseCache> CreateOcspResponseCacheAsync();

    [Fact]
    public async Task A_stored_response_reads_back_with_every_field_and_a_put_replaces_it()
    {
        var cache = await CreateOcspResponseCacheAsync();
        var response = StoreSamples.OcspResponse();
        await cache.PutAsync(response, None);
        StoreAssert.Same(response, await cache.GetAsync(response.Key, None));

        var replacement = StoreSamples.OcspResponse(response.Serial, key: response.Key, thisUpdate: StoreSamples.Instant.AddHours(6)) with { Status = OcspCertStatus.Good };
        await cache.PutAsync(replacement, None);

        StoreAssert.Same(replacement, await cache.GetAsync(response.Key, None));
        Assert.Null(await cache.GetAsync("00" + response.Key, None));
    }

    [Fact]
    public async Task Removing_a_serial_drops_every_response_about_it_and_nothing_else()
    {
        var cache = await CreateOcspResponseCacheAsync();
        var serial = StoreSamples.NewSerial();
        var sha1 = StoreSamples.OcspResponse(serial);
        var sha256 = StoreSamples.OcspResponse(serial);
        var other = StoreSamples.OcspResponse();
        foreach (var response in new[] { sha1, sha256, other })
        {
            await cache.PutAsync(response, None);
        }

        Assert.Equal(2, await cache.RemoveSerialAsync(serial, None));

        Assert.Null(await cache.GetAsync(sha1.Key, None));
        Assert.Null(await cache.GetAsync(sha256.Key, None));
        Assert.NotNull(await cache.GetAsync(other.Key, None));
        Assert.Equal(0, await cache.RemoveSerialAsync(serial, None));
    }

    [Fact]
    public async Task Responses_due_for_refresh_are_listed_oldest_first_up_to_the_limit()
    {
        var cache = await CreateOcspResponseCacheAsync();
        var responses = Enumerable.Range(0, 5).Select(i => StoreSamples.OcspResponse(thisUpdate: StoreSamples.Instant.AddHours(-i))).ToList();
        foreach (var response in responses)
        {
            await cache.PutAsync(response, None);
        }

        // Refresh is due 6 h after thisUpdate: by Instant + 4 h, the ones from 2, 3 and 4 hours ago are due.
        var due = await cache.ListRefreshDueAsync(StoreSamples.Instant.AddHours(4), 2, None);

        Assert.Equal([responses[4].Key, responses[3].Key], due.Select(r => r.Key));
        Assert.Equal(3, (await cache.ListRefreshDueAsync(StoreSamples.Instant.AddHours(4), 10, None)).Count);
        Assert.Empty(await cache.ListRefreshDueAsync(StoreSamples.Instant, 10, None));
    }

    [Fact]
    public async Task Removing_expired_responses_drops_those_past_next_update_in_batches()
    {
        var cache = await CreateOcspResponseCacheAsync();
        var expired = Enumerable.Range(0, 3).Select(i => StoreSamples.OcspResponse(thisUpdate: StoreSamples.Instant.AddDays(-1 - i))).ToList();
        var fresh = StoreSamples.OcspResponse();
        foreach (var response in expired.Append(fresh))
        {
            await cache.PutAsync(response, None);
        }

        Assert.Equal(2, await cache.RemoveExpiredAsync(StoreSamples.Instant, 2, None));
        Assert.Equal(1, await cache.RemoveExpiredAsync(StoreSamples.Instant, 2, None));

        Assert.All(expired, r => Assert.Null(cache.GetAsync(r.Key, None).Result));
        Assert.NotNull(await cache.GetAsync(fresh.Key, None));
    }
}
