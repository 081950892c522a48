using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts.Acme;

/// <summary>What every <see cref="PkiProtocolServer.Acme.Stores.INonceStore"/> must do: single use, expiry, atomic redemption.</summary>
public abstract class NonceStoreContract : AcmeStoreContract
{
    [Fact]
    public async Task A_nonce_redeems_once_and_never_again()
    {
        var store = (await CreateAcmeStoresAsync()).Nonces;
        var nonce = AcmeSamples.Id();
        await store.AddAsync(nonce, AcmeSamples.Now.AddMinutes(5), None);

        Assert.True(await store.TryRedeemAsync(nonce, AcmeSamples.Now, None));
        Assert.False(await store.TryRedeemAsync(nonce, AcmeSamples.Now, None));
    }

    [Fact]
    public async Task A_nonce_never_added_does_not_redeem()
    {
        var store = (await CreateAcmeStoresAsync()).Nonces;

        Assert.False(await store.TryRedeemAsync(AcmeSamples.Id(), AcmeSamples.Now, None));
    }

    [Fact]
    public async Task An_expired_nonce_does_not_redeem()
    {
        var store = (await CreateAcmeStoresAsync()).Nonces;
        var nonce = AcmeSamples.Id();
        await store.AddAsync(nonce, AcmeSamples.Now.AddMinutes(5), None);

        Assert.False(await store.TryRedeemAsync(nonce, AcmeSamples.Now.AddMinutes(5), None));
    }

    [Fact]
    public async Task Of_many_concurrent_redemptions_of_one_nonce_exactly_one_succeeds()
    {
        var store = (await CreateAcmeStoresAsync()).Nonces;
        var nonce = AcmeSamples.Id();
        await store.AddAsync(nonce, AcmeSamples.Now.AddMinutes(5), None);

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => store.TryRedeemAsync(nonce, AcmeSamples.Now, None))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task Deleting_expired_nonces_keeps_the_live_ones_redeemable()
    {
        var store = (await CreateAcmeStoresAsync()).Nonces;
        var expired = AcmeSamples.Id();
        var live = AcmeSamples.Id();
        await store.AddAsync(expired, AcmeSamples.Now.AddMinutes(-1), None);
        await store.AddAsync(live, AcmeSamples.Now.AddMinutes(1), None);

        Assert.Equal(1, await store.DeleteExpiredAsync(AcmeSamples.Now, None));

        Assert.True(await store.TryRedeemAsync(live, AcmeSamples.Now, None));
    }
}
