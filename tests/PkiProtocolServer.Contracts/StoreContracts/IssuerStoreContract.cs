using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts;

/// <summary>
/// What every <see cref="IIssuerStore"/> must do. A provider's test project derives from this and hands out
/// a fresh, empty store per call; the same facts then hold for the embedded and the Redis store.
/// </summary>
public abstract class IssuerStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A new, empty store (each call its own state).</summary>
    protected abstract Task<IIssuerStore> CreateIssuerStoreAsync();

    public static TheoryData<string> KeySpecNames => new() { "rsa-2048", "rsa-3072", "rsa-4096", "ec-256", "ec-384", "ed25519" };

    [Fact]
    public async Task An_empty_store_has_no_keys_no_issuers_and_no_default()
    {
        var store = await CreateIssuerStoreAsync();

        Assert.Empty(await store.ListKeysAsync(None));
        Assert.Empty(await store.ListAsync(None));
        Assert.Null(await store.GetKeyAsync("missing", None));
        Assert.Null(await store.GetAsync("missing", None));
        Assert.Null(await store.FindByNameAsync("missing", None));
        Assert.Null(await store.GetDefaultIdAsync(None));
    }

    [Theory]
    [MemberData(nameof(KeySpecNames))]
    public async Task An_added_key_reads_back_with_every_field(string specName)
    {
        var store = await CreateIssuerStoreAsync();
        var key = StoreSamples.Key(spec: KeySpec.FromName(specName));

        await store.AddKeyAsync(key, None);

        StoreAssert.Same(key, await store.GetKeyAsync(key.Id, None));
        StoreAssert.Same(key, Assert.Single(await store.ListKeysAsync(None)));
    }

    [Fact]
    public async Task Every_added_key_is_listed()
    {
        var store = await CreateIssuerStoreAsync();
        var keys = new[] { StoreSamples.Key(), StoreSamples.Key(spec: KeySpec.Rsa2048), StoreSamples.Key(spec: KeySpec.Ed25519) };

        foreach (var key in keys)
        {
            await store.AddKeyAsync(key, None);
        }

        var listed = await store.ListKeysAsync(None);
        Assert.Equal(keys.Select(k => k.Id).Order(), listed.Select(k => k.Id).Order());
        foreach (var key in keys)
        {
            StoreAssert.Same(key, listed.Single(k => k.Id == key.Id));
        }
    }

    [Fact]
    public async Task Adding_a_key_with_a_taken_id_is_a_conflict_and_keeps_the_first_key()
    {
        var store = await CreateIssuerStoreAsync();
        var first = StoreSamples.Key();
        await store.AddKeyAsync(first, None);

        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => store.AddKeyAsync(StoreSamples.Key() with { Id = first.Id }, None));

        StoreAssert.Same(first, Assert.Single(await store.ListKeysAsync(None)));
    }

    [Fact]
    public async Task Adding_a_key_with_a_taken_name_is_a_conflict_and_writes_nothing()
    {
        var store = await CreateIssuerStoreAsync();
        var first = StoreSamples.Key();
        await store.AddKeyAsync(first, None);
        var second = StoreSamples.Key(name: first.Name);

        var e = await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => store.AddKeyAsync(second, None));

        Assert.Contains(first.Name, e.Message);
        Assert.Null(await store.GetKeyAsync(second.Id, None));
        StoreAssert.Same(first, Assert.Single(await store.ListKeysAsync(None)));
    }

    [Fact]
    public async Task An_added_issuer_reads_back_with_every_field_by_id_by_name_and_in_the_list()
    {
        var store = await CreateIssuerStoreAsync();
        var key = StoreSamples.Key();
        await store.AddKeyAsync(key, None);
        var issuer = StoreSamples.Issuer(keyId: key.Id);

        await store.AddAsync(issuer, newKey: null, makeDefault: false, None);

        StoreAssert.Same(issuer, await store.GetAsync(issuer.Id, None));
        StoreAssert.Same(issuer, await store.FindByNameAsync(issuer.Name, None));
        StoreAssert.Same(issuer, Assert.Single(await store.ListAsync(None)));
    }

    [Fact]
    public async Task A_chain_only_issuer_with_default_settings_reads_back_with_those_defaults()
    {
        var store = await CreateIssuerStoreAsync();
        var issuer = new Issuer
        {
            Id = StoreSamples.NewId("iss"),
            Name = StoreSamples.NewId("imported-root"),
            CertificateDer = StoreSamples.Bytes(512),
            CreatedAt = StoreSamples.Instant,
        };

        await store.AddAsync(issuer, newKey: null, makeDefault: false, None);

        var read = await store.GetAsync(issuer.Id, None);
        StoreAssert.Same(issuer, read);
        Assert.Null(read!.KeyId);
        Assert.Null(read.ManualChain);
        Assert.Equal(IssuerUsage.All, read.Usage);
        Assert.Equal(LeafNotAfterBehavior.Err, read.LeafNotAfterBehavior);
        Assert.Empty(read.Urls.OcspServers);
    }

    [Theory]
    [InlineData(IssuerUsage.None)]
    [InlineData(IssuerUsage.Issuing)]
    [InlineData(IssuerUsage.CrlSigning)]
    [InlineData(IssuerUsage.OcspSigning)]
    [InlineData(IssuerUsage.Issuing | IssuerUsage.OcspSigning)]
    [InlineData(IssuerUsage.CrlSigning | IssuerUsage.OcspSigning)]
    [InlineData(IssuerUsage.All)]
    public async Task Every_usage_combination_round_trips(IssuerUsage usage)
    {
        var store = await CreateIssuerStoreAsync();
        var issuer = StoreSamples.Issuer() with { Usage = usage };

        await store.AddAsync(issuer, null, false, None);

        Assert.Equal(usage, (await store.GetAsync(issuer.Id, None))!.Usage);
    }

    [Theory]
    [InlineData(LeafNotAfterBehavior.Err)]
    [InlineData(LeafNotAfterBehavior.Truncate)]
    [InlineData(LeafNotAfterBehavior.Permit)]
    public async Task Every_leaf_not_after_behavior_round_trips(LeafNotAfterBehavior behavior)
    {
        var store = await CreateIssuerStoreAsync();
        var issuer = StoreSamples.Issuer() with { LeafNotAfterBehavior = behavior };

        await store.AddAsync(issuer, null, false, None);

        Assert.Equal(behavior, (await store.GetAsync(issuer.Id, None))!.LeafNotAfterBehavior);
    }

    [Fact]
    public async Task Adding_an_issuer_with_a_new_key_stores_both_and_links_them()
    {
        var store = await CreateIssuerStoreAsync();
        var key = StoreSamples.Key();
        var issuer = StoreSamples.Issuer(keyId: key.Id);

        await store.AddAsync(issuer, key, makeDefault: false, None);

        StoreAssert.Same(key, await store.GetKeyAsync(key.Id, None));
        Assert.Equal(key.Id, (await store.GetAsync(issuer.Id, None))!.KeyId);
        Assert.Null(await store.GetDefaultIdAsync(None));
    }

    [Fact]
    public async Task Adding_an_issuer_as_default_makes_it_the_default_and_without_the_flag_keeps_the_current_one()
    {
        var store = await CreateIssuerStoreAsync();
        var first = StoreSamples.Issuer();
        var second = StoreSamples.Issuer();
        var third = StoreSamples.Issuer();

        await store.AddAsync(first, null, makeDefault: true, None);
        Assert.Equal(first.Id, await store.GetDefaultIdAsync(None));

        await store.AddAsync(second, null, makeDefault: false, None);
        Assert.Equal(first.Id, await store.GetDefaultIdAsync(None));

        await store.AddAsync(third, null, makeDefault: true, None);
        Assert.Equal(third.Id, await store.GetDefaultIdAsync(None));
    }

    [Fact]
    public async Task Adding_an_issuer_with_a_taken_id_is_a_conflict_and_writes_nothing()
    {
        var store = await CreateIssuerStoreAsync();
        var existing = StoreSamples.Issuer();
        await store.AddAsync(existing, null, makeDefault: true, None);
        var newKey = StoreSamples.Key();
        var clash = StoreSamples.Issuer(keyId: newKey.Id) with { Id = existing.Id };

        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => store.AddAsync(clash, newKey, makeDefault: true, None));

        Assert.Null(await store.GetKeyAsync(newKey.Id, None));
        Assert.Empty(await store.ListKeysAsync(None));
        Assert.Null(await store.FindByNameAsync(clash.Name, None));
        StoreAssert.Same(existing, Assert.Single(await store.ListAsync(None)));
        Assert.Equal(existing.Id, await store.GetDefaultIdAsync(None));
    }

    [Fact]
    public async Task Adding_an_issuer_with_a_taken_name_is_a_conflict_and_writes_nothing()
    {
        var store = await CreateIssuerStoreAsync();
        var existing = StoreSamples.Issuer();
        await store.AddAsync(existing, null, makeDefault: true, None);
        var newKey = StoreSamples.Key();
        var clash = StoreSamples.Issuer(name: existing.Name, keyId: newKey.Id);

        var e = await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => store.AddAsync(clash, newKey, makeDefault: true, None));

        Assert.Contains(existing.Name, e.Message);
        Assert.Null(await store.GetKeyAsync(newKey.Id, None));
        Assert.Null(await store.GetAsync(clash.Id, None));
        Assert.Equal(existing.Id, await store.GetDefaultIdAsync(None));
    }

    [Fact]
    public async Task Adding_an_issuer_whose_new_key_name_is_taken_is_a_conflict_and_writes_nothing()
    {
        var store = await CreateIssuerStoreAsync();
        var existingKey = StoreSamples.Key();
        await store.AddKeyAsync(existingKey, None);
        var previousDefault = StoreSamples.Issuer();
        await store.AddAsync(previousDefault, null, makeDefault: true, None);
        var newKey = StoreSamples.Key(name: existingKey.Name);
        var issuer = StoreSamples.Issuer(keyId: newKey.Id);

        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => store.AddAsync(issuer, newKey, makeDefault: true, None));

        Assert.Null(await store.GetAsync(issuer.Id, None));
        Assert.Null(await store.GetKeyAsync(newKey.Id, None));
        Assert.Equal(previousDefault.Id, await store.GetDefaultIdAsync(None));
    }

    [Fact]
    public async Task Adding_an_issuer_that_names_an_unknown_key_is_not_found_and_writes_nothing()
    {
        var store = await CreateIssuerStoreAsync();
        var issuer = StoreSamples.Issuer(keyId: "no-such-key");

        await StoreAssert.ThrowsKind(PkiErrorKind.NotFound, () => store.AddAsync(issuer, null, makeDefault: true, None));

        Assert.Empty(await store.ListAsync(None));
        Assert.Null(await store.GetDefaultIdAsync(None));
    }

    [Fact]
    public async Task Updating_replaces_every_field_of_the_issuer()
    {
        var store = await CreateIssuerStoreAsync();
        var oldKey = StoreSamples.Key();
        var original = StoreSamples.Issuer(keyId: oldKey.Id);
        await store.AddAsync(original, oldKey, makeDefault: false, None);
        var newKey = StoreSamples.Key(spec: KeySpec.Rsa3072);
        await store.AddKeyAsync(newKey, None);
        var updated = original with
        {
            Name = StoreSamples.NewId("renamed"),
            CertificateDer = StoreSamples.Bytes(650),
            KeyId = newKey.Id,
            LeafNotAfterBehavior = LeafNotAfterBehavior.Permit,
            Usage = IssuerUsage.Issuing,
            Urls = new IssuerUrls { OcspServers = ["http://new.example/ocsp"] },
            ManualChain = null,
            CreatedAt = StoreSamples.Instant.AddDays(1).AddMilliseconds(999),
        };

        await store.UpdateAsync(updated, None);

        StoreAssert.Same(updated, await store.GetAsync(original.Id, None));
        StoreAssert.Same(updated, await store.FindByNameAsync(updated.Name, None));
        Assert.Null(await store.FindByNameAsync(original.Name, None));
        Assert.Single(await store.ListAsync(None));
    }

    [Fact]
    public async Task Updating_an_issuer_without_renaming_it_is_not_a_conflict_with_itself()
    {
        var store = await CreateIssuerStoreAsync();
        var original = StoreSamples.Issuer();
        await store.AddAsync(original, null, false, None);
        var updated = original with { ManualChain = ["self", "new-root"] };

        await store.UpdateAsync(updated, None);

        StoreAssert.Same(updated, await store.GetAsync(original.Id, None));
    }

    [Fact]
    public async Task Updating_a_missing_issuer_is_not_found_and_writes_nothing()
    {
        var store = await CreateIssuerStoreAsync();

        await StoreAssert.ThrowsKind(PkiErrorKind.NotFound, () => store.UpdateAsync(StoreSamples.Issuer(), None));

        Assert.Empty(await store.ListAsync(None));
    }

    [Fact]
    public async Task Renaming_an_issuer_to_a_taken_name_is_a_conflict_and_keeps_the_old_record()
    {
        var store = await CreateIssuerStoreAsync();
        var first = StoreSamples.Issuer();
        var second = StoreSamples.Issuer();
        await store.AddAsync(first, null, false, None);
        await store.AddAsync(second, null, false, None);

        var e = await StoreAssert.ThrowsKind(PkiErrorKind.Conflict,
            () => store.UpdateAsync(second with { Name = first.Name, Usage = IssuerUsage.None }, None));

        Assert.Contains(first.Name, e.Message);
        StoreAssert.Same(second, await store.GetAsync(second.Id, None));
        StoreAssert.Same(first, await store.FindByNameAsync(first.Name, None));
    }

    [Fact]
    public async Task Updating_an_issuer_to_an_unknown_key_is_not_found_and_keeps_the_old_record()
    {
        var store = await CreateIssuerStoreAsync();
        var original = StoreSamples.Issuer();
        await store.AddAsync(original, null, false, None);

        await StoreAssert.ThrowsKind(PkiErrorKind.NotFound, () => store.UpdateAsync(original with { KeyId = "no-such-key" }, None));

        StoreAssert.Same(original, await store.GetAsync(original.Id, None));
    }

    [Fact]
    public async Task Deleting_an_issuer_removes_it_keeps_its_key_and_says_whether_it_existed()
    {
        var store = await CreateIssuerStoreAsync();
        var key = StoreSamples.Key();
        var issuer = StoreSamples.Issuer(keyId: key.Id);
        await store.AddAsync(issuer, key, false, None);

        Assert.True(await store.DeleteAsync(issuer.Id, None));
        Assert.False(await store.DeleteAsync(issuer.Id, None));

        Assert.Null(await store.GetAsync(issuer.Id, None));
        Assert.Null(await store.FindByNameAsync(issuer.Name, None));
        Assert.Empty(await store.ListAsync(None));
        StoreAssert.Same(key, await store.GetKeyAsync(key.Id, None));
    }

    [Fact]
    public async Task A_deleted_issuers_name_and_id_can_be_used_again()
    {
        var store = await CreateIssuerStoreAsync();
        var issuer = StoreSamples.Issuer();
        await store.AddAsync(issuer, null, false, None);
        await store.DeleteAsync(issuer.Id, None);
        var again = StoreSamples.Issuer() with { Id = issuer.Id, Name = issuer.Name };

        await store.AddAsync(again, null, false, None);

        StoreAssert.Same(again, await store.GetAsync(issuer.Id, None));
    }

    [Fact]
    public async Task Deleting_the_default_issuer_clears_the_default()
    {
        var store = await CreateIssuerStoreAsync();
        var issuer = StoreSamples.Issuer();
        await store.AddAsync(issuer, null, makeDefault: true, None);

        Assert.True(await store.DeleteAsync(issuer.Id, None));

        Assert.Null(await store.GetDefaultIdAsync(None));
    }

    [Fact]
    public async Task Deleting_another_issuer_keeps_the_default()
    {
        var store = await CreateIssuerStoreAsync();
        var chosen = StoreSamples.Issuer();
        var other = StoreSamples.Issuer();
        await store.AddAsync(chosen, null, makeDefault: true, None);
        await store.AddAsync(other, null, makeDefault: false, None);

        Assert.True(await store.DeleteAsync(other.Id, None));

        Assert.Equal(chosen.Id, await store.GetDefaultIdAsync(None));
    }

    [Fact]
    public async Task Deleting_a_key_an_issuer_uses_is_a_conflict_and_keeps_the_key()
    {
        var store = await CreateIssuerStoreAsync();
        var key = StoreSamples.Key();
        var issuer = StoreSamples.Issuer(keyId: key.Id);
        await store.AddAsync(issuer, key, false, None);

        var e = await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => store.DeleteKeyAsync(key.Id, None));

        Assert.Contains(issuer.Name, e.Message);
        StoreAssert.Same(key, await store.GetKeyAsync(key.Id, None));
    }

    [Fact]
    public async Task A_key_is_deletable_once_no_issuer_uses_it_and_deleting_again_says_it_is_gone()
    {
        var store = await CreateIssuerStoreAsync();
        var key = StoreSamples.Key();
        var issuer = StoreSamples.Issuer(keyId: key.Id);
        await store.AddAsync(issuer, key, false, None);
        await store.DeleteAsync(issuer.Id, None);

        Assert.True(await store.DeleteKeyAsync(key.Id, None));
        Assert.False(await store.DeleteKeyAsync(key.Id, None));

        Assert.Null(await store.GetKeyAsync(key.Id, None));
        Assert.Empty(await store.ListKeysAsync(None));
    }

    [Fact]
    public async Task Re_keying_an_issuer_frees_its_old_key_for_deletion()
    {
        var store = await CreateIssuerStoreAsync();
        var oldKey = StoreSamples.Key();
        var newKey = StoreSamples.Key();
        var issuer = StoreSamples.Issuer(keyId: oldKey.Id);
        await store.AddAsync(issuer, oldKey, false, None);
        await store.AddKeyAsync(newKey, None);

        await store.UpdateAsync(issuer with { KeyId = newKey.Id }, None);

        Assert.True(await store.DeleteKeyAsync(oldKey.Id, None));
        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => store.DeleteKeyAsync(newKey.Id, None));
    }

    [Fact]
    public async Task Setting_the_default_switches_it_between_issuers()
    {
        var store = await CreateIssuerStoreAsync();
        var a = StoreSamples.Issuer();
        var b = StoreSamples.Issuer();
        await store.AddAsync(a, null, false, None);
        await store.AddAsync(b, null, false, None);

        await store.SetDefaultIdAsync(a.Id, None);
        Assert.Equal(a.Id, await store.GetDefaultIdAsync(None));

        await store.SetDefaultIdAsync(b.Id, None);
        Assert.Equal(b.Id, await store.GetDefaultIdAsync(None));

        await store.SetDefaultIdAsync(b.Id, None);
        Assert.Equal(b.Id, await store.GetDefaultIdAsync(None));
    }

    [Fact]
    public async Task Setting_the_default_to_an_unknown_issuer_is_not_found_and_keeps_the_current_default()
    {
        var store = await CreateIssuerStoreAsync();
        await StoreAssert.ThrowsKind(PkiErrorKind.NotFound, () => store.SetDefaultIdAsync("no-such-issuer", None));
        Assert.Null(await store.GetDefaultIdAsync(None));

        var issuer = StoreSamples.Issuer();
        await store.AddAsync(issuer, null, makeDefault: true, None);

        await StoreAssert.ThrowsKind(PkiErrorKind.NotFound, () => store.SetDefaultIdAsync("no-such-issuer", None));

        Assert.Equal(issuer.Id, await store.GetDefaultIdAsync(None));
    }

    [Fact]
    public async Task Concurrent_issuer_adds_from_many_tasks_all_land()
    {
        var store = await CreateIssuerStoreAsync();
        var pairs = Enumerable.Range(0, 40).Select(_ =>
        {
            var key = StoreSamples.Key();
            return (Key: key, Issuer: StoreSamples.Issuer(keyId: key.Id));
        }).ToArray();

        await Task.WhenAll(pairs.Select(p => Task.Run(() => store.AddAsync(p.Issuer, p.Key, makeDefault: true, None))));

        var issuers = await store.ListAsync(None);
        Assert.Equal(pairs.Select(p => p.Issuer.Id).Order(), issuers.Select(i => i.Id).Order());
        Assert.Equal(pairs.Select(p => p.Key.Id).Order(), (await store.ListKeysAsync(None)).Select(k => k.Id).Order());
        Assert.Contains(await store.GetDefaultIdAsync(None), pairs.Select(p => p.Issuer.Id));
    }

    [Fact]
    public async Task Concurrent_adds_of_one_name_let_exactly_one_land()
    {
        var store = await CreateIssuerStoreAsync();
        var name = StoreSamples.NewId("contested");
        var attempts = Enumerable.Range(0, 20).Select(_ => StoreSamples.Issuer(name: name)).ToArray();

        var outcomes = await Task.WhenAll(attempts.Select(issuer => Task.Run(async () =>
        {
            try
            {
                await store.AddAsync(issuer, null, false, None);
                return true;
            }
            catch (PkiException e) when (e.Kind == PkiErrorKind.Conflict)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, landed => landed);
        var winner = attempts[Array.IndexOf(outcomes, true)];
        StoreAssert.Same(winner, Assert.Single(await store.ListAsync(None)));
    }
}
