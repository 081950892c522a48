using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuers;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>What the Redis provider is for: state that outlives a connection and is shared by many nodes at once.</summary>
public sealed class RedisNodeTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Records_survive_reconnecting_the_multiplexer()
    {
        var prefix = RedisServer.NewPrefix();
        var key = StoreSamples.Key();
        var issuer = StoreSamples.Issuer(keyId: key.Id);
        var role = StoreSamples.Role();
        var certificate = StoreSamples.Certificate(issuerId: issuer.Id);
        using (var first = redis.Connect())
        {
            var stores = RedisStores.Open(first, prefix);
            await stores.Issuers.AddAsync(issuer, key, makeDefault: true, None);
            await stores.Roles.PutAsync(role, None);
            await stores.Certificates.AddAsync(certificate, None);
        }

        using var second = redis.Connect();
        var reopened = RedisStores.Open(second, prefix);

        StoreAssert.Same(key, await reopened.Issuers.GetKeyAsync(key.Id, None));
        StoreAssert.Same(issuer, await reopened.Issuers.FindByNameAsync(issuer.Name, None));
        Assert.Equal(issuer.Id, await reopened.Issuers.GetDefaultIdAsync(None));
        StoreAssert.Same(role, await reopened.Roles.GetAsync(role.Name, None));
        StoreAssert.Same(certificate, Assert.Single(await reopened.Certificates.ListAsync(null, 10, None)));
    }

    [Fact]
    public async Task Two_nodes_over_one_redis_see_each_others_writes_at_once()
    {
        var prefix = RedisServer.NewPrefix();
        using var multiplexerA = redis.Connect();
        using var multiplexerB = redis.Connect();
        var nodeA = RedisStores.Open(multiplexerA, prefix);
        var nodeB = RedisStores.Open(multiplexerB, prefix);

        var issuer = StoreSamples.Issuer();
        await nodeA.Issuers.AddAsync(issuer, null, makeDefault: false, None);
        StoreAssert.Same(issuer, await nodeB.Issuers.GetAsync(issuer.Id, None));

        await nodeB.Issuers.SetDefaultIdAsync(issuer.Id, None);
        Assert.Equal(issuer.Id, await nodeA.Issuers.GetDefaultIdAsync(None));

        var role = StoreSamples.Role();
        await nodeB.Roles.PutAsync(role, None);
        StoreAssert.Same(role, Assert.Single(await nodeA.Roles.ListAsync(None)));

        var certificate = StoreSamples.Certificate(issuerId: issuer.Id);
        await nodeA.Certificates.AddAsync(certificate, None);
        StoreAssert.Same(certificate, await nodeB.Certificates.GetAsync(certificate.Serial, None));

        Assert.True(await nodeB.Issuers.DeleteAsync(issuer.Id, None));
        Assert.Null(await nodeA.Issuers.GetAsync(issuer.Id, None));
        Assert.Null(await nodeA.Issuers.GetDefaultIdAsync(None));
    }

    [Fact]
    public async Task Two_nodes_racing_for_one_issuer_name_and_one_serial_let_exactly_one_of_each_land()
    {
        var prefix = RedisServer.NewPrefix();
        using var multiplexerA = redis.Connect();
        using var multiplexerB = redis.Connect();
        RedisStores[] nodes = [RedisStores.Open(multiplexerA, prefix), RedisStores.Open(multiplexerB, prefix)];
        var name = StoreSamples.NewId("contested");
        var serial = StoreSamples.NewSerial();

        var issuerOutcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Landed(() =>
            nodes[i % 2].Issuers.AddAsync(StoreSamples.Issuer(name: name), null, false, None))));
        var certificateOutcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Landed(() =>
            nodes[i % 2].Certificates.AddAsync(StoreSamples.Certificate(serial, issuerId: "issuer-" + i), None))));

        Assert.Single(issuerOutcomes, landed => landed);
        Assert.Single(certificateOutcomes, landed => landed);
        Assert.Single(await nodes[0].Issuers.ListAsync(None));
        Assert.Single(await nodes[1].Certificates.ListAsync(null, 100, None));
    }

    [Fact]
    public async Task A_non_ascii_issuer_name_is_freed_by_a_rename_and_by_a_delete()
    {
        // The rename and delete scripts find the old name by decoding the stored JSON inside Redis.
        var stores = redis.OpenFresh();
        var issuer = StoreSamples.Issuer(name: "Zwischen-CA Ünïcode 🔐 " + StoreSamples.NewId("x"));
        await stores.Issuers.AddAsync(issuer, null, false, None);

        var renamed = issuer with { Name = "renamed " + StoreSamples.NewId("x") };
        await stores.Issuers.UpdateAsync(renamed, None);
        Assert.Null(await stores.Issuers.FindByNameAsync(issuer.Name, None));
        var newcomer = StoreSamples.Issuer(name: issuer.Name);
        await stores.Issuers.AddAsync(newcomer, null, false, None);
        StoreAssert.Same(newcomer, await stores.Issuers.FindByNameAsync(issuer.Name, None));

        Assert.True(await stores.Issuers.DeleteAsync(newcomer.Id, None));
        Assert.Null(await stores.Issuers.FindByNameAsync(issuer.Name, None));
        await stores.Issuers.AddAsync(StoreSamples.Issuer(name: issuer.Name), null, false, None);
    }

    [Fact]
    public async Task Keys_are_listed_by_name_and_their_in_use_error_names_every_user_in_order()
    {
        var stores = redis.OpenFresh();
        var key = StoreSamples.Key(name: "m-key");
        await stores.Issuers.AddKeyAsync(StoreSamples.Key(name: "z-key"), None);
        await stores.Issuers.AddKeyAsync(key, None);
        await stores.Issuers.AddKeyAsync(StoreSamples.Key(name: "a-key"), None);
        await stores.Issuers.AddAsync(StoreSamples.Issuer(name: "beta", keyId: key.Id), null, false, None);
        await stores.Issuers.AddAsync(StoreSamples.Issuer(name: "alpha", keyId: key.Id), null, false, None);

        Assert.Equal(["a-key", "m-key", "z-key"], (await stores.Issuers.ListKeysAsync(None)).Select(k => k.Name));
        Assert.Equal(["alpha", "beta"], (await stores.Issuers.ListAsync(None)).Select(i => i.Name));
        var e = await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => stores.Issuers.DeleteKeyAsync(key.Id, None));
        Assert.Contains("'alpha', 'beta'", e.Message);
    }

    [Fact]
    public void A_prefix_holding_a_newer_layout_than_this_build_knows_is_refused()
    {
        var prefix = RedisServer.NewPrefix();
        redis.Multiplexer.GetDatabase().StringSet(prefix + "format", "99");

        var e = Assert.Throws<InvalidOperationException>(() => RedisStores.Open(redis.Multiplexer, prefix));

        Assert.Contains("'99'", e.Message);
    }

    [Fact]
    public async Task A_page_limit_below_one_is_malformed()
    {
        var stores = redis.OpenFresh();

        await StoreAssert.ThrowsKind(PkiErrorKind.Malformed, () => stores.Certificates.ListAsync(null, 0, None));
    }

    private static async Task<bool> Landed(Func<Task> add)
    {
        try
        {
            await Task.Run(add);
            return true;
        }
        catch (PkiException e) when (e.Kind == PkiErrorKind.Conflict)
        {
            return false;
        }
    }
}
