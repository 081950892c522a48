using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Core.Errors;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts.Acme;

/// <summary>What every <see cref="PkiProtocolServer.Acme.Stores.IAuthorizationStore"/> must do: reuse lookups, the validator's due list, compare-and-set, expiry.</summary>
public abstract class AuthorizationStoreContract : AcmeStoreContract
{
    private static async Task<AcmeAuthorization> AddAsync(AcmeStoreSet stores, AcmeAuthorization authorization)
    {
        await stores.Orders.AddAsync(AcmeSamples.Order(authorization.AccountId, [authorization]), [authorization], None);
        return authorization with { Version = 1 };
    }

    [Fact]
    public async Task Get_many_returns_those_that_exist()
    {
        var stores = await CreateAcmeStoresAsync();
        var account = AcmeSamples.Id();
        var a = await AddAsync(stores, AcmeSamples.Authorization(account));
        var b = await AddAsync(stores, AcmeSamples.Authorization(account));

        var found = await stores.Authorizations.GetManyAsync([a.Id, b.Id, AcmeSamples.Id()], None);

        Assert.Equal(new[] { a.Id, b.Id }.Order(), found.Select(x => x.Id).Order());
        Assert.Empty(await stores.Authorizations.GetManyAsync([], None));
    }

    [Fact]
    public async Task A_valid_authorization_of_the_account_and_identifier_is_found_for_reuse()
    {
        var stores = await CreateAcmeStoresAsync();
        var account = AcmeSamples.Id();
        var shorter = await AddAsync(stores, AcmeSamples.Authorization(account, "www.example.org", status: AuthorizationStatus.Valid, expires: AcmeSamples.Now.AddDays(3)));
        var longer = await AddAsync(stores, AcmeSamples.Authorization(account, "www.example.org", status: AuthorizationStatus.Valid, expires: AcmeSamples.Now.AddDays(5)));

        var found = await stores.Authorizations.FindReusableAsync(account, new AcmeIdentifier("dns", "www.example.org"), wildcard: false, AcmeSamples.Now.AddDays(2), None);

        Assert.Equal(longer.Id, found?.Id);
        Assert.NotEqual(shorter.Id, found?.Id);
    }

    [Fact]
    public async Task Pending_other_accounts_wildcard_mismatches_and_soon_expiring_authorizations_are_not_reused()
    {
        var stores = await CreateAcmeStoresAsync();
        var account = AcmeSamples.Id();
        var identifier = new AcmeIdentifier("dns", "api.example.org");
        await AddAsync(stores, AcmeSamples.Authorization(account, identifier.Value, status: AuthorizationStatus.Pending));
        await AddAsync(stores, AcmeSamples.Authorization(AcmeSamples.Id(), identifier.Value, status: AuthorizationStatus.Valid));
        await AddAsync(stores, AcmeSamples.Authorization(account, identifier.Value, wildcard: true, status: AuthorizationStatus.Valid));
        await AddAsync(stores, AcmeSamples.Authorization(account, identifier.Value, status: AuthorizationStatus.Valid, expires: AcmeSamples.Now.AddHours(1)));

        Assert.Null(await stores.Authorizations.FindReusableAsync(account, identifier, wildcard: false, AcmeSamples.Now.AddHours(2), None));
        Assert.NotNull(await stores.Authorizations.FindReusableAsync(account, identifier, wildcard: true, AcmeSamples.Now.AddHours(2), None));
    }

    [Fact]
    public async Task An_update_at_the_current_version_lands_and_a_stale_one_is_refused()
    {
        var stores = await CreateAcmeStoresAsync();
        var added = await AddAsync(stores, AcmeSamples.Authorization(AcmeSamples.Id()));

        var processing = await stores.Authorizations.TryUpdateAsync(added.BeginValidation(added.Challenges[0].Id, AcmeSamples.Now), None);
        var stale = await stores.Authorizations.TryUpdateAsync(added.Deactivate(AcmeSamples.Now), None);

        Assert.Equal(2, processing?.Version);
        Assert.Null(stale);
        AcmeAssert.Same(processing!, await stores.Authorizations.GetAsync(added.Id, None));
    }

    [Fact]
    public async Task A_processing_challenge_is_due_from_its_next_attempt_and_not_after_its_result()
    {
        var stores = await CreateAcmeStoresAsync();
        var added = await AddAsync(stores, AcmeSamples.Authorization(AcmeSamples.Id()));
        var challenge = added.Challenges[0].Id;
        Assert.DoesNotContain(added.Id, await stores.Authorizations.ListDueValidationsAsync(AcmeSamples.Now.AddDays(1), 100, None));

        var processing = await stores.Authorizations.TryUpdateAsync(added.BeginValidation(challenge, AcmeSamples.Now), None);
        Assert.Contains(added.Id, await stores.Authorizations.ListDueValidationsAsync(AcmeSamples.Now, 100, None));

        var leased = await stores.Authorizations.TryUpdateAsync(processing!.Lease(challenge, AcmeSamples.Now.AddSeconds(40)), None);
        Assert.DoesNotContain(added.Id, await stores.Authorizations.ListDueValidationsAsync(AcmeSamples.Now.AddSeconds(39), 100, None));
        Assert.Contains(added.Id, await stores.Authorizations.ListDueValidationsAsync(AcmeSamples.Now.AddSeconds(40), 100, None));

        await stores.Authorizations.TryUpdateAsync(leased!.RecordSuccess(challenge, AcmeSamples.Now, TimeSpan.FromDays(7)), None);
        Assert.DoesNotContain(added.Id, await stores.Authorizations.ListDueValidationsAsync(AcmeSamples.Now.AddDays(1), 100, None));
    }

    [Fact]
    public async Task Due_validations_come_earliest_first_up_to_the_limit()
    {
        var stores = await CreateAcmeStoresAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var added = await AddAsync(stores, AcmeSamples.Authorization(AcmeSamples.Id()));
            await stores.Authorizations.TryUpdateAsync(added.BeginValidation(added.Challenges[0].Id, AcmeSamples.Now.AddSeconds(-i)), None);
            ids.Add(added.Id);
        }

        var due = await stores.Authorizations.ListDueValidationsAsync(AcmeSamples.Now, 2, None);

        Assert.Equal(new[] { ids[2], ids[1] }, due);
    }

    [Fact]
    public async Task Deleting_expired_authorizations_removes_only_those_expired()
    {
        var stores = await CreateAcmeStoresAsync();
        var expired = await AddAsync(stores, AcmeSamples.Authorization(AcmeSamples.Id(), expires: AcmeSamples.Now.AddMinutes(-1)));
        var live = await AddAsync(stores, AcmeSamples.Authorization(AcmeSamples.Id(), expires: AcmeSamples.Now.AddMinutes(1)));

        Assert.Equal(1, await stores.Authorizations.DeleteExpiredAsync(AcmeSamples.Now, None));

        Assert.Null(await stores.Authorizations.GetAsync(expired.Id, None));
        Assert.NotNull(await stores.Authorizations.GetAsync(live.Id, None));
    }

    [Fact]
    public async Task A_pre_authorization_is_added_without_an_order_and_reads_back_at_version_one()
    {
        var stores = await CreateAcmeStoresAsync();
        var authorization = AcmeSamples.Authorization(AcmeSamples.Id(), "pre.example.org") with { AccountUrl = "https://ca.example/acme/account/x" };

        var added = await stores.Authorizations.AddAsync(authorization, None);

        Assert.Equal(1, added.Version);
        AcmeAssert.Same(added, await stores.Authorizations.GetAsync(authorization.Id, None));
    }

    [Fact]
    public async Task A_pre_authorization_becomes_reusable_once_valid_and_is_due_while_processing()
    {
        var stores = await CreateAcmeStoresAsync();
        var account = AcmeSamples.Id();
        var identifier = new AcmeIdentifier("dns", "reuse.pre.example.org");
        var added = await stores.Authorizations.AddAsync(AcmeSamples.Authorization(account, identifier.Value), None);
        Assert.Null(await stores.Authorizations.FindReusableAsync(account, identifier, wildcard: false, AcmeSamples.Now, None));

        var processing = await stores.Authorizations.TryUpdateAsync(added.BeginValidation(added.Challenges[0].Id, AcmeSamples.Now), None);
        Assert.Contains(added.Id, await stores.Authorizations.ListDueValidationsAsync(AcmeSamples.Now, 100, None));
        var valid = await stores.Authorizations.TryUpdateAsync(processing!.RecordSuccess(added.Challenges[0].Id, AcmeSamples.Now, TimeSpan.FromDays(7)) with { CaaCheckedAt = AcmeSamples.Now }, None);

        var found = await stores.Authorizations.FindReusableAsync(account, identifier, wildcard: false, AcmeSamples.Now.AddDays(1), None);
        Assert.Equal(added.Id, found?.Id);
        Assert.Equal(AcmeSamples.Now, found?.CaaCheckedAt);
        Assert.DoesNotContain(added.Id, await stores.Authorizations.ListDueValidationsAsync(AcmeSamples.Now.AddDays(1), 100, None));
        Assert.Equal(3, valid?.Version);
    }

    [Fact]
    public async Task Adding_a_pre_authorization_with_an_existing_id_is_a_conflict_and_changes_nothing()
    {
        var stores = await CreateAcmeStoresAsync();
        var first = await stores.Authorizations.AddAsync(AcmeSamples.Authorization(AcmeSamples.Id(), "one.example.org"), None);

        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => stores.Authorizations.AddAsync(AcmeSamples.Authorization(AcmeSamples.Id(), "two.example.org") with { Id = first.Id }, None));

        Assert.Equal("one.example.org", (await stores.Authorizations.GetAsync(first.Id, None))?.Identifier.Value);
    }

    [Fact]
    public async Task An_expired_pre_authorization_is_deleted()
    {
        var stores = await CreateAcmeStoresAsync();
        var expired = await stores.Authorizations.AddAsync(AcmeSamples.Authorization(AcmeSamples.Id(), expires: AcmeSamples.Now.AddMinutes(-1)), None);

        Assert.Equal(1, await stores.Authorizations.DeleteExpiredAsync(AcmeSamples.Now, None));

        Assert.Null(await stores.Authorizations.GetAsync(expired.Id, None));
    }
}
