using PkiProtocolServer.Acme.Model;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts.Acme;

/// <summary>What every <see cref="PkiProtocolServer.Acme.Stores.IAccountStore"/> must do about deactivated accounts: removed after their retention, with their key mapping; valid ones never.</summary>
public abstract class AccountRemovalContract : AcmeStoreContract
{
    [Fact]
    public async Task A_deactivated_account_is_removed_with_its_key_mapping_after_the_cutoff()
    {
        var stores = await CreateAcmeStoresAsync();
        var added = await stores.Accounts.AddAsync(AcmeSamples.Account(), None);
        var deactivated = await stores.Accounts.TryUpdateAsync(added.Deactivate(AcmeSamples.Now.AddHours(1)), None);
        Assert.NotNull(deactivated);
        Assert.Equal(AcmeSamples.Now.AddHours(1), (await stores.Accounts.GetAsync(added.Id, None))!.DeactivatedAt);

        Assert.Equal(0, await stores.Accounts.DeleteDeactivatedAsync(AcmeSamples.Now, None));
        Assert.Equal(1, await stores.Accounts.DeleteDeactivatedAsync(AcmeSamples.Now.AddHours(1), None));

        Assert.Null(await stores.Accounts.GetAsync(added.Id, None));
        Assert.Null(await stores.Accounts.FindByKeyAsync(added.Directory, added.KeyThumbprint, None));
        var again = await stores.Accounts.AddAsync(AcmeSamples.Account(thumbprint: added.KeyThumbprint), None);
        Assert.NotNull(await stores.Accounts.FindByKeyAsync(again.Directory, again.KeyThumbprint, None));
        Assert.Equal(0, await stores.Accounts.DeleteDeactivatedAsync(AcmeSamples.Now.AddDays(100), None));
    }

    [Fact]
    public async Task Valid_accounts_are_never_removed()
    {
        var stores = await CreateAcmeStoresAsync();
        var valid = await stores.Accounts.AddAsync(AcmeSamples.Account(), None);
        var updated = await stores.Accounts.TryUpdateAsync(valid with { Contact = ["mailto:new@example.org"] }, None);

        Assert.Equal(0, await stores.Accounts.DeleteDeactivatedAsync(AcmeSamples.Now.AddDays(1000), None));

        Assert.Equal(AccountStatus.Valid, (await stores.Accounts.GetAsync(valid.Id, None))!.Status);
        Assert.Null(updated!.DeactivatedAt);
    }
}
