using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme;
using PkiProtocolServer.Acme.Jws;
using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Acme.Stores;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts.Acme;

/// <summary>
/// What every <see cref="INonceStore"/> must do: one shared key, a use recorded once and atomically; and what
/// <see cref="NonceService"/> then guarantees over it: nonces good on every node sharing the store, single use,
/// expiring, and forgeries refused without a store access.
/// </summary>
public abstract class NonceStoreContract : AcmeStoreContract
{
    [Fact]
    public async Task The_nonce_key_is_created_once_and_read_back_the_same()
    {
        var store = (await CreateAcmeStoresAsync()).Nonces;

        var first = await store.GetOrCreateKeyAsync(None);
        var second = await store.GetOrCreateKeyAsync(None);

        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_use_is_recorded_once_and_never_again()
    {
        var store = (await CreateAcmeStoresAsync()).Nonces;
        var nonce = AcmeSamples.Id();

        Assert.True(await store.TryRecordUseAsync(nonce, DateTimeOffset.UtcNow.AddMinutes(5), None));
        Assert.False(await store.TryRecordUseAsync(nonce, DateTimeOffset.UtcNow.AddMinutes(5), None));
    }

    [Fact]
    public async Task Of_many_concurrent_recordings_of_one_nonce_exactly_one_succeeds()
    {
        var store = (await CreateAcmeStoresAsync()).Nonces;
        var nonce = AcmeSamples.Id();
        var keepUntil = DateTimeOffset.UtcNow.AddMinutes(5);

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => store.TryRecordUseAsync(nonce, keepUntil, None))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task The_sweep_keeps_records_of_nonces_still_live()
    {
        var store = (await CreateAcmeStoresAsync()).Nonces;
        var nonce = AcmeSamples.Id();
        await store.TryRecordUseAsync(nonce, DateTimeOffset.UtcNow.AddMinutes(5), None);

        await store.DeleteExpiredAsync(DateTimeOffset.UtcNow, None);

        Assert.False(await store.TryRecordUseAsync(nonce, DateTimeOffset.UtcNow.AddMinutes(5), None));
    }

    [Fact]
    public async Task A_nonce_redeems_once_and_never_again()
    {
        using var node = new Node((await CreateAcmeStoresAsync()).Nonces);
        var nonce = await node.Service.CreateAsync(None);

        Assert.True(await node.Service.TryRedeemAsync(nonce, None));
        Assert.False(await node.Service.TryRedeemAsync(nonce, None));
    }

    [Fact]
    public async Task Two_nodes_over_one_store_accept_each_others_nonces_once()
    {
        var store = (await CreateAcmeStoresAsync()).Nonces;
        using var first = new Node(store);
        using var second = new Node(store);
        var fromFirst = await first.Service.CreateAsync(None);
        var fromSecond = await second.Service.CreateAsync(None);

        Assert.True(await second.Service.TryRedeemAsync(fromFirst, None));
        Assert.False(await first.Service.TryRedeemAsync(fromFirst, None));
        Assert.True(await first.Service.TryRedeemAsync(fromSecond, None));
    }

    [Fact]
    public async Task Of_many_concurrent_redemptions_of_one_nonce_on_two_nodes_exactly_one_succeeds()
    {
        var store = (await CreateAcmeStoresAsync()).Nonces;
        using var first = new Node(store);
        using var second = new Node(store);
        var nonce = await first.Service.CreateAsync(None);
        var nodes = new[] { first, second };

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => nodes[i % 2].Service.TryRedeemAsync(nonce, None))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task An_expired_nonce_does_not_redeem_and_touches_no_store()
    {
        using var node = new Node((await CreateAcmeStoresAsync()).Nonces);
        var nonce = await node.Service.CreateAsync(None);

        node.Time.Advance(new AcmeOptions().NonceLifetime);

        Assert.False(await node.Service.TryRedeemAsync(nonce, None));
        Assert.Equal(0, node.Store.RecordedUses);
    }

    [Fact]
    public async Task A_nonce_with_a_forged_mac_does_not_redeem_and_touches_no_store()
    {
        using var node = new Node((await CreateAcmeStoresAsync()).Nonces);
        Assert.True(Base64UrlText.TryDecode(await node.Service.CreateAsync(None), out var bytes));
        bytes[^1] ^= 1;

        Assert.False(await node.Service.TryRedeemAsync(Base64UrlText.Encode(bytes), None));
        Assert.Equal(0, node.Store.RecordedUses);
    }

    [Fact]
    public async Task A_nonce_with_a_later_expiry_written_in_does_not_redeem()
    {
        using var node = new Node((await CreateAcmeStoresAsync()).Nonces);
        Assert.True(Base64UrlText.TryDecode(await node.Service.CreateAsync(None), out var bytes));
        bytes[0] ^= 1;

        Assert.False(await node.Service.TryRedeemAsync(Base64UrlText.Encode(bytes), None));
        Assert.Equal(0, node.Store.RecordedUses);
    }

    [Fact]
    public async Task A_nonce_made_under_another_stores_key_does_not_redeem()
    {
        using var node = new Node((await CreateAcmeStoresAsync()).Nonces);
        using var stranger = new Node((await CreateAcmeStoresAsync()).Nonces);

        Assert.False(await node.Service.TryRedeemAsync(await stranger.Service.CreateAsync(None), None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a nonce")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Text_that_is_no_nonce_of_this_server_does_not_redeem(string nonce)
    {
        using var node = new Node((await CreateAcmeStoresAsync()).Nonces);

        Assert.False(await node.Service.TryRedeemAsync(nonce, None));
        Assert.Equal(0, node.Store.RecordedUses);
    }

    /// <summary>One server's nonce service over a shared store, with its own clock, counting the uses it records.</summary>
    private sealed class Node : IDisposable
    {
        private readonly AcmeMetrics _metrics = new();

        public Node(INonceStore store)
        {
            Store = new CountingNonceStore(store);
            Service = new NonceService(Store, Time, Options.Create(new AcmeOptions()), _metrics);
        }

        public MovableTime Time { get; } = new();

        public CountingNonceStore Store { get; }

        public NonceService Service { get; }

        public void Dispose() => _metrics.Dispose();
    }

    private sealed class CountingNonceStore(INonceStore inner) : INonceStore
    {
        private int _recordedUses;

        public int RecordedUses => Volatile.Read(ref _recordedUses);

        public Task<byte[]> GetOrCreateKeyAsync(CancellationToken cancellationToken) => inner.GetOrCreateKeyAsync(cancellationToken);

        public Task<bool> TryRecordUseAsync(string nonce, DateTimeOffset keepUntil, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _recordedUses);
            return inner.TryRecordUseAsync(nonce, keepUntil, cancellationToken);
        }

        public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.DeleteExpiredAsync(now, cancellationToken);
    }

    /// <summary>The real time plus whatever a test moved it on by (records in Redis expire by Redis's real clock).</summary>
    private sealed class MovableTime : TimeProvider
    {
        private TimeSpan _offset;

        public void Advance(TimeSpan by) => _offset += by;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;
    }
}
