using PkiProtocolServer.Acme.Model;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts.Acme;

/// <summary>What every <see cref="PkiProtocolServer.Acme.Stores.IOrderStore"/> must do: atomic creation with authorizations, compare-and-set, paging, expiry.</summary>
public abstract class OrderStoreContract : AcmeStoreContract
{
    [Fact]
    public async Task An_order_is_added_with_its_new_authorizations_all_at_version_1()
    {
        var stores = await CreateAcmeStoresAsync();
        var account = AcmeSamples.Id();
        var authorizations = new[] { AcmeSamples.Authorization(account), AcmeSamples.Authorization(account, wildcard: true) };
        var order = AcmeSamples.Order(account, authorizations) with { Error = null };

        var added = await stores.Orders.AddAsync(order, authorizations, None);

        Assert.Equal(1, added.Version);
        AcmeAssert.Same(order with { Version = 1 }, await stores.Orders.GetAsync(order.Id, None));
        foreach (var authorization in authorizations)
        {
            AcmeAssert.Same(authorization with { Version = 1 }, await stores.Authorizations.GetAsync(authorization.Id, None));
        }
    }

    [Fact]
    public async Task An_order_may_reference_an_existing_authorization_without_adding_it_again()
    {
        var stores = await CreateAcmeStoresAsync();
        var account = AcmeSamples.Id();
        var reused = AcmeSamples.Authorization(account);
        await stores.Orders.AddAsync(AcmeSamples.Order(account, [reused]), [reused], None);

        var second = AcmeSamples.Order(account, [reused]);
        await stores.Orders.AddAsync(second, [], None);

        Assert.Equal([reused.Id], (await stores.Orders.GetAsync(second.Id, None))!.AuthorizationIds);
    }

    [Fact]
    public async Task An_unknown_order_is_null()
    {
        var stores = await CreateAcmeStoresAsync();

        Assert.Null(await stores.Orders.GetAsync(AcmeSamples.Id(), None));
    }

    [Fact]
    public async Task An_update_at_the_current_version_lands_and_a_stale_one_is_refused()
    {
        var stores = await CreateAcmeStoresAsync();
        var account = AcmeSamples.Id();
        var authorization = AcmeSamples.Authorization(account);
        var added = await stores.Orders.AddAsync(AcmeSamples.Order(account, [authorization]), [authorization], None);

        var ready = await stores.Orders.TryUpdateAsync(added with { Status = OrderStatus.Ready }, None);
        var stale = await stores.Orders.TryUpdateAsync(added with { Status = OrderStatus.Invalid }, None);

        Assert.Equal(2, ready?.Version);
        Assert.Null(stale);
        Assert.Equal(OrderStatus.Ready, (await stores.Orders.GetAsync(added.Id, None))?.Status);
    }

    [Fact]
    public async Task Of_concurrent_finalizes_of_one_order_exactly_one_moves_it_to_processing()
    {
        var stores = await CreateAcmeStoresAsync();
        var account = AcmeSamples.Id();
        var authorization = AcmeSamples.Authorization(account);
        var added = await stores.Orders.AddAsync(AcmeSamples.Order(account, [authorization]) with { Status = OrderStatus.Ready }, [authorization], None);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => stores.Orders.TryUpdateAsync(added.BeginFinalize(AcmeSamples.Now), None))));

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task An_accounts_orders_are_listed_oldest_first_in_pages_without_other_accounts_or_expired_orders()
    {
        var stores = await CreateAcmeStoresAsync();
        var account = AcmeSamples.Id();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var authorization = AcmeSamples.Authorization(account);
            var order = AcmeSamples.Order(account, [authorization], created: AcmeSamples.Now.AddSeconds(i));
            await stores.Orders.AddAsync(order, [authorization], None);
            ids.Add(order.Id);
        }

        var other = AcmeSamples.Authorization(AcmeSamples.Id());
        await stores.Orders.AddAsync(AcmeSamples.Order(other.AccountId, [other]), [other], None);
        var expiredAuthorization = AcmeSamples.Authorization(account);
        await stores.Orders.AddAsync(AcmeSamples.Order(account, [expiredAuthorization], expires: AcmeSamples.Now.AddSeconds(-1)), [expiredAuthorization], None);

        var first = await stores.Orders.ListByAccountAsync(account, AcmeSamples.Now, null, 2, None);
        var second = await stores.Orders.ListByAccountAsync(account, AcmeSamples.Now, first.Next, 2, None);
        var third = await stores.Orders.ListByAccountAsync(account, AcmeSamples.Now, second.Next, 2, None);

        Assert.Equal(ids[..2], first.OrderIds);
        Assert.Equal(ids[2..4], second.OrderIds);
        Assert.Equal(ids[4..], third.OrderIds);
        Assert.NotNull(first.Next);
        Assert.Null(third.Next);
    }

    [Fact]
    public async Task Deleting_expired_orders_removes_only_those_expired()
    {
        var stores = await CreateAcmeStoresAsync();
        var account = AcmeSamples.Id();
        var a1 = AcmeSamples.Authorization(account);
        var a2 = AcmeSamples.Authorization(account);
        var expired = AcmeSamples.Order(account, [a1], expires: AcmeSamples.Now.AddMinutes(-1));
        var live = AcmeSamples.Order(account, [a2], expires: AcmeSamples.Now.AddMinutes(1));
        await stores.Orders.AddAsync(expired, [a1], None);
        await stores.Orders.AddAsync(live, [a2], None);

        Assert.Equal(1, await stores.Orders.DeleteExpiredAsync(AcmeSamples.Now, None));

        Assert.Null(await stores.Orders.GetAsync(expired.Id, None));
        Assert.NotNull(await stores.Orders.GetAsync(live.Id, None));
    }
}
