using PkiProtocolServer.Core.Roles;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts;

/// <summary>What every <see cref="IRoleStore"/> must do; providers derive and hand out a fresh, empty store per call.</summary>
public abstract class RoleStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A new, empty store (each call its own state).</summary>
    protected abstract Task<IRoleStore> CreateRoleStoreAsync();

    [Fact]
    public async Task An_empty_store_lists_no_roles_and_finds_none()
    {
        var store = await CreateRoleStoreAsync();

        Assert.Empty(await store.ListAsync(None));
        Assert.Null(await store.GetAsync("web", None));
        Assert.False(await store.DeleteAsync("web", None));
    }

    [Fact]
    public async Task A_put_role_reads_back_with_every_field()
    {
        var store = await CreateRoleStoreAsync();
        var role = StoreSamples.Role();

        await store.PutAsync(role, None);

        StoreAssert.Same(role, await store.GetAsync(role.Name, None));
        StoreAssert.Same(role, Assert.Single(await store.ListAsync(None)));
    }

    [Fact]
    public async Task A_role_with_only_a_name_reads_back_with_the_core_defaults()
    {
        var store = await CreateRoleStoreAsync();
        var role = new Role { Name = StoreSamples.NewId("bare") };

        await store.PutAsync(role, None);

        StoreAssert.Same(role, await store.GetAsync(role.Name, None));
    }

    [Fact]
    public async Task Emptied_lists_stay_empty_rather_than_returning_to_their_defaults()
    {
        var store = await CreateRoleStoreAsync();
        var role = new Role { Name = StoreSamples.NewId("no-usages"), KeyUsage = [], ExtKeyUsage = [] };

        await store.PutAsync(role, None);

        var read = await store.GetAsync(role.Name, None);
        Assert.NotNull(read);
        Assert.Empty(read.KeyUsage);
        Assert.Empty(read.ExtKeyUsage);
    }

    [Fact]
    public async Task Putting_a_role_again_replaces_it_whole()
    {
        var store = await CreateRoleStoreAsync();
        var first = StoreSamples.Role();
        await store.PutAsync(first, None);
        var replacement = new Role { Name = first.Name, AllowedDomains = ["only.example"], AllowSubdomains = true };

        await store.PutAsync(replacement, None);

        StoreAssert.Same(replacement, await store.GetAsync(first.Name, None));
        StoreAssert.Same(replacement, Assert.Single(await store.ListAsync(None)));
    }

    [Fact]
    public async Task Every_put_role_is_listed()
    {
        var store = await CreateRoleStoreAsync();
        var roles = Enumerable.Range(0, 5).Select(_ => StoreSamples.Role()).ToArray();

        foreach (var role in roles)
        {
            await store.PutAsync(role, None);
        }

        var listed = await store.ListAsync(None);
        Assert.Equal(roles.Select(r => r.Name).Order(StringComparer.Ordinal), listed.Select(r => r.Name).Order(StringComparer.Ordinal));
        foreach (var role in roles)
        {
            StoreAssert.Same(role, listed.Single(r => r.Name == role.Name));
        }
    }

    [Fact]
    public async Task Deleting_a_role_removes_only_it_and_says_whether_it_existed()
    {
        var store = await CreateRoleStoreAsync();
        var kept = StoreSamples.Role();
        var deleted = StoreSamples.Role();
        await store.PutAsync(kept, None);
        await store.PutAsync(deleted, None);

        Assert.True(await store.DeleteAsync(deleted.Name, None));
        Assert.False(await store.DeleteAsync(deleted.Name, None));

        Assert.Null(await store.GetAsync(deleted.Name, None));
        StoreAssert.Same(kept, Assert.Single(await store.ListAsync(None)));
    }

    [Fact]
    public async Task A_deleted_role_can_be_put_again()
    {
        var store = await CreateRoleStoreAsync();
        var role = StoreSamples.Role();
        await store.PutAsync(role, None);
        await store.DeleteAsync(role.Name, None);
        var again = role with { KeyType = "rsa", KeyBits = 3072 };

        await store.PutAsync(again, None);

        StoreAssert.Same(again, await store.GetAsync(role.Name, None));
    }

    [Fact]
    public async Task Role_names_are_case_sensitive()
    {
        var store = await CreateRoleStoreAsync();
        var lower = StoreSamples.Role("web");
        var upper = StoreSamples.Role("WEB") with { KeyType = "rsa" };

        await store.PutAsync(lower, None);
        await store.PutAsync(upper, None);

        StoreAssert.Same(lower, await store.GetAsync("web", None));
        StoreAssert.Same(upper, await store.GetAsync("WEB", None));
        Assert.Equal(2, (await store.ListAsync(None)).Count);
    }

    [Fact]
    public async Task Concurrent_puts_from_many_tasks_all_land()
    {
        var store = await CreateRoleStoreAsync();
        var roles = Enumerable.Range(0, 100).Select(_ => StoreSamples.Role()).ToArray();

        await Task.WhenAll(roles.Select(role => Task.Run(() => store.PutAsync(role, None))));

        var listed = await store.ListAsync(None);
        Assert.Equal(roles.Select(r => r.Name).Order(StringComparer.Ordinal), listed.Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Concurrent_puts_of_one_role_leave_one_whole_version_never_a_mix()
    {
        var store = await CreateRoleStoreAsync();
        var name = StoreSamples.NewId("contested");
        var versions = Enumerable.Range(0, 30).Select(i =>
        {
            var marker = "v" + i;
            return new Role
            {
                Name = name,
                IssuerRef = marker,
                AllowedDomains = [marker + ".example"],
                KeyUsage = [marker],
                Organization = [marker],
                KeyBits = i,
            };
        }).ToArray();

        await Task.WhenAll(versions.Select(role => Task.Run(() => store.PutAsync(role, None))));

        var read = await store.GetAsync(name, None);
        Assert.NotNull(read);
        var winner = versions.Single(v => v.IssuerRef == read.IssuerRef);
        StoreAssert.Same(winner, read);
    }
}
