using PkiProtocolServer.Core.Errors;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts.Acme;

/// <summary>What every <see cref="PkiProtocolServer.Acme.Stores.IExternalAccountKeyStore"/> must do.</summary>
public abstract class ExternalAccountKeyStoreContract : AcmeStoreContract
{
    [Fact]
    public async Task A_key_reads_back_with_its_hmac_key_and_is_listed_by_directory_oldest_first()
    {
        var store = (await CreateAcmeStoresAsync()).ExternalAccountKeys;
        var older = AcmeSamples.EabKey(created: AcmeSamples.Now.AddMinutes(-1));
        var newer = AcmeSamples.EabKey(expires: AcmeSamples.Now.AddDays(30));
        var other = AcmeSamples.EabKey(directory: "internal");
        await store.AddAsync(newer, None);
        await store.AddAsync(older, None);
        await store.AddAsync(other, None);

        AcmeAssert.Same(newer, await store.GetAsync(newer.Id, None));
        Assert.Equal([older.Id, newer.Id], (await store.ListAsync("default", None)).Select(k => k.Id));
        Assert.Equal(3, (await store.ListAsync(null, None)).Count);
        Assert.Equal(newer.HmacKey, (await store.GetAsync(newer.Id, None))!.HmacKey);
    }

    [Fact]
    public async Task A_duplicate_id_is_a_conflict()
    {
        var store = (await CreateAcmeStoresAsync()).ExternalAccountKeys;
        var key = AcmeSamples.EabKey();
        await store.AddAsync(key, None);

        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => store.AddAsync(AcmeSamples.EabKey() with { Id = key.Id }, None));
    }

    [Fact]
    public async Task Deleting_says_whether_the_key_existed()
    {
        var store = (await CreateAcmeStoresAsync()).ExternalAccountKeys;
        var key = AcmeSamples.EabKey();
        await store.AddAsync(key, None);

        Assert.True(await store.DeleteAsync(key.Id, None));
        Assert.False(await store.DeleteAsync(key.Id, None));
        Assert.Null(await store.GetAsync(key.Id, None));
    }

    [Fact]
    public async Task Expired_unbound_keys_go_while_bound_and_unexpired_keys_stay()
    {
        var stores = await CreateAcmeStoresAsync();
        var expired = AcmeSamples.EabKey(expires: AcmeSamples.Now.AddSeconds(-1));
        var boundThenExpired = AcmeSamples.EabKey(expires: AcmeSamples.Now.AddSeconds(-1));
        var forever = AcmeSamples.EabKey();
        await stores.ExternalAccountKeys.AddAsync(expired, None);
        await stores.ExternalAccountKeys.AddAsync(boundThenExpired, None);
        await stores.ExternalAccountKeys.AddAsync(forever, None);
        await stores.Accounts.AddAsync(AcmeSamples.Account(eabKeyId: boundThenExpired.Id) with { CreatedAt = AcmeSamples.Now.AddMinutes(-1) }, None);

        Assert.Equal(1, await stores.ExternalAccountKeys.DeleteExpiredAsync(AcmeSamples.Now, None));

        Assert.Null(await stores.ExternalAccountKeys.GetAsync(expired.Id, None));
        Assert.NotNull(await stores.ExternalAccountKeys.GetAsync(boundThenExpired.Id, None));
        Assert.NotNull(await stores.ExternalAccountKeys.GetAsync(forever.Id, None));
    }
}
