using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Core.Errors;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts.Acme;

/// <summary>What every <see cref="PkiProtocolServer.Acme.Stores.IAccountStore"/> must do: unique keys per directory, compare-and-set, atomic EAB binding.</summary>
public abstract class AccountStoreContract : AcmeStoreContract
{
    [Fact]
    public async Task An_added_account_reads_back_by_id_and_by_key_at_version_1()
    {
        var stores = await CreateAcmeStoresAsync();
        var account = AcmeSamples.Account();

        var added = await stores.Accounts.AddAsync(account, None);

        Assert.Equal(1, added.Version);
        AcmeAssert.Same(account with { Version = 1 }, await stores.Accounts.GetAsync(account.Id, None));
        AcmeAssert.Same(account with { Version = 1 }, await stores.Accounts.FindByKeyAsync(account.Directory, account.KeyThumbprint, None));
    }

    [Fact]
    public async Task An_unknown_id_or_key_finds_nothing()
    {
        var stores = await CreateAcmeStoresAsync();

        Assert.Null(await stores.Accounts.GetAsync(AcmeSamples.Id(), None));
        Assert.Null(await stores.Accounts.FindByKeyAsync("default", AcmeSamples.Id(), None));
    }

    [Fact]
    public async Task A_key_has_one_account_per_directory_but_may_have_one_in_each_directory()
    {
        var stores = await CreateAcmeStoresAsync();
        var first = await stores.Accounts.AddAsync(AcmeSamples.Account(), None);

        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => stores.Accounts.AddAsync(AcmeSamples.Account(thumbprint: first.KeyThumbprint), None));
        var elsewhere = await stores.Accounts.AddAsync(AcmeSamples.Account(directory: "internal", thumbprint: first.KeyThumbprint), None);

        Assert.Equal(first.Id, (await stores.Accounts.FindByKeyAsync("default", first.KeyThumbprint, None))?.Id);
        Assert.Equal(elsewhere.Id, (await stores.Accounts.FindByKeyAsync("internal", first.KeyThumbprint, None))?.Id);
    }

    [Fact]
    public async Task An_update_at_the_current_version_lands_and_a_stale_one_is_refused()
    {
        var stores = await CreateAcmeStoresAsync();
        var added = await stores.Accounts.AddAsync(AcmeSamples.Account(), None);

        var updated = await stores.Accounts.TryUpdateAsync(added with { Contact = ["mailto:new@example.org"] }, None);
        var stale = await stores.Accounts.TryUpdateAsync(added with { Status = AccountStatus.Deactivated }, None);

        Assert.NotNull(updated);
        Assert.Equal(2, updated.Version);
        Assert.Null(stale);
        var read = await stores.Accounts.GetAsync(added.Id, None);
        AcmeAssert.Same(updated, read);
        Assert.Equal(AccountStatus.Valid, read!.Status);
    }

    [Fact]
    public async Task Changing_the_key_moves_the_lookup_to_the_new_key()
    {
        var stores = await CreateAcmeStoresAsync();
        var added = await stores.Accounts.AddAsync(AcmeSamples.Account(), None);
        var newThumbprint = AcmeSamples.Id();

        var updated = await stores.Accounts.TryUpdateAsync(added.WithKey("{\"kty\":\"OKP\"}", newThumbprint), None);

        Assert.NotNull(updated);
        Assert.Null(await stores.Accounts.FindByKeyAsync(added.Directory, added.KeyThumbprint, None));
        Assert.Equal(added.Id, (await stores.Accounts.FindByKeyAsync(added.Directory, newThumbprint, None))?.Id);
    }

    [Fact]
    public async Task Changing_to_a_key_another_account_holds_is_a_conflict_and_changes_nothing()
    {
        var stores = await CreateAcmeStoresAsync();
        var holder = await stores.Accounts.AddAsync(AcmeSamples.Account(), None);
        var changer = await stores.Accounts.AddAsync(AcmeSamples.Account(), None);

        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => stores.Accounts.TryUpdateAsync(changer.WithKey(holder.Jwk, holder.KeyThumbprint), None));

        AcmeAssert.Same(changer, await stores.Accounts.GetAsync(changer.Id, None));
        Assert.Equal(holder.Id, (await stores.Accounts.FindByKeyAsync(holder.Directory, holder.KeyThumbprint, None))?.Id);
    }

    [Fact]
    public async Task Adding_an_account_with_an_eab_key_binds_the_key_to_it()
    {
        var stores = await CreateAcmeStoresAsync();
        var key = AcmeSamples.EabKey();
        await stores.ExternalAccountKeys.AddAsync(key, None);

        var account = await stores.Accounts.AddAsync(AcmeSamples.Account(eabKeyId: key.Id), None);

        var bound = await stores.ExternalAccountKeys.GetAsync(key.Id, None);
        Assert.Equal(account.Id, bound?.BoundAccountId);
        StoreAssert.SameInstant(account.CreatedAt, bound!.BoundAt!.Value);
        Assert.Equal(key.Id, (await stores.Accounts.GetAsync(account.Id, None))?.ExternalAccountKeyId);
    }

    [Fact]
    public async Task An_eab_key_binds_one_account_only_and_the_second_is_not_created()
    {
        var stores = await CreateAcmeStoresAsync();
        var key = AcmeSamples.EabKey();
        await stores.ExternalAccountKeys.AddAsync(key, None);
        var first = await stores.Accounts.AddAsync(AcmeSamples.Account(eabKeyId: key.Id), None);
        var second = AcmeSamples.Account(eabKeyId: key.Id);

        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => stores.Accounts.AddAsync(second, None));

        Assert.Null(await stores.Accounts.GetAsync(second.Id, None));
        Assert.Equal(first.Id, (await stores.ExternalAccountKeys.GetAsync(key.Id, None))?.BoundAccountId);
    }

    [Fact]
    public async Task An_unknown_or_expired_eab_key_creates_no_account()
    {
        var stores = await CreateAcmeStoresAsync();
        var expired = AcmeSamples.EabKey(expires: AcmeSamples.Now.AddSeconds(-1));
        await stores.ExternalAccountKeys.AddAsync(expired, None);
        var withExpired = AcmeSamples.Account(eabKeyId: expired.Id);
        var withUnknown = AcmeSamples.Account(eabKeyId: "eab-" + AcmeSamples.Id());

        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => stores.Accounts.AddAsync(withExpired, None));
        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => stores.Accounts.AddAsync(withUnknown, None));

        Assert.Null(await stores.Accounts.GetAsync(withExpired.Id, None));
        Assert.Null(await stores.Accounts.GetAsync(withUnknown.Id, None));
        Assert.Null((await stores.ExternalAccountKeys.GetAsync(expired.Id, None))?.BoundAccountId);
    }

    [Fact]
    public async Task A_failed_add_leaves_the_eab_key_unbound()
    {
        var stores = await CreateAcmeStoresAsync();
        var existing = await stores.Accounts.AddAsync(AcmeSamples.Account(), None);
        var key = AcmeSamples.EabKey();
        await stores.ExternalAccountKeys.AddAsync(key, None);

        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => stores.Accounts.AddAsync(AcmeSamples.Account(thumbprint: existing.KeyThumbprint, eabKeyId: key.Id), None));

        Assert.Null((await stores.ExternalAccountKeys.GetAsync(key.Id, None))?.BoundAccountId);
    }

    [Fact]
    public async Task Of_concurrent_adds_with_one_key_exactly_one_lands()
    {
        var stores = await CreateAcmeStoresAsync();
        var thumbprint = AcmeSamples.Id();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            try
            {
                await stores.Accounts.AddAsync(AcmeSamples.Account(thumbprint: thumbprint), None);
                return true;
            }
            catch (PkiException e) when (e.Kind == PkiErrorKind.Conflict)
            {
                return false;
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o));
    }

    [Fact]
    public async Task Of_concurrent_updates_at_one_version_exactly_one_lands()
    {
        var stores = await CreateAcmeStoresAsync();
        var added = await stores.Accounts.AddAsync(AcmeSamples.Account(), None);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => stores.Accounts.TryUpdateAsync(added with { Contact = [$"mailto:{i}@example.org"] }, None))));

        var winner = Assert.Single(results, r => r is not null);
        AcmeAssert.Same(winner!, await stores.Accounts.GetAsync(added.Id, None));
    }
}
