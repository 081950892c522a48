using PkiProtocolServer.Acme.Stores;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts.Acme;

/// <summary>The ACME Renewal Information stores of one provider over one shared state.</summary>
public sealed record RenewalStoreSet(IRenewalWindowStore Windows, ICertificateReplacementStore Replacements);

/// <summary>What every <see cref="IRenewalWindowStore"/> and <see cref="ICertificateReplacementStore"/> must do.</summary>
public abstract class RenewalStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>New, empty stores sharing one state (each call its own state).</summary>
    protected abstract Task<RenewalStoreSet> CreateRenewalStoresAsync();

    [Fact]
    public async Task A_window_reads_back_and_setting_the_same_scope_and_target_replaces_it()
    {
        var store = (await CreateRenewalStoresAsync()).Windows;
        var first = Window(RenewalWindowScope.Role, "web");
        var second = first with { Start = first.Start.AddHours(1), End = first.End.AddHours(1), ExplanationUrl = null };
        var issuer = Window(RenewalWindowScope.Issuer, "web");

        await store.SetAsync(first, None);
        await store.SetAsync(issuer, None);
        Assert.Equal(first, await store.GetAsync(RenewalWindowScope.Role, "web", None));
        await store.SetAsync(second, None);

        Assert.Equal(second, await store.GetAsync(RenewalWindowScope.Role, "web", None));
        Assert.Equal(issuer, await store.GetAsync(RenewalWindowScope.Issuer, "web", None));
        Assert.Null(await store.GetAsync(RenewalWindowScope.Certificate, "web", None));
    }

    [Fact]
    public async Task Windows_are_listed_by_scope_then_target_and_deleting_says_whether_one_existed()
    {
        var store = (await CreateRenewalStoresAsync()).Windows;
        var windows = new[] { Window(RenewalWindowScope.Issuer, "b"), Window(RenewalWindowScope.Certificate, "0b"), Window(RenewalWindowScope.Certificate, "0a"), Window(RenewalWindowScope.Role, "r") };
        foreach (var window in windows)
        {
            await store.SetAsync(window, None);
        }

        var listed = await store.ListAsync(None);

        Assert.Equal(["certificate:0a", "certificate:0b", "role:r", "issuer:b"], listed.Select(w => $"{w.Scope.ToString().ToLowerInvariant()}:{w.Target}"));
        Assert.True(await store.DeleteAsync(RenewalWindowScope.Role, "r", None));
        Assert.False(await store.DeleteAsync(RenewalWindowScope.Role, "r", None));
        Assert.Equal(3, (await store.ListAsync(None)).Count);
    }

    [Fact]
    public async Task A_claim_is_taken_once_from_nobody_and_handed_over_only_from_the_expected_order()
    {
        var store = (await CreateRenewalStoresAsync()).Replacements;
        var certificate = AcmeSamples.Id();
        var expires = AcmeSamples.Now.AddDays(30);

        Assert.True(await store.TryClaimAsync(certificate, "order-1", null, AcmeSamples.Now, expires, None));
        Assert.False(await store.TryClaimAsync(certificate, "order-2", null, AcmeSamples.Now, expires, None));
        Assert.False(await store.TryClaimAsync(certificate, "order-2", "order-x", AcmeSamples.Now, expires, None));
        Assert.True(await store.TryClaimAsync(certificate, "order-3", "order-1", AcmeSamples.Now.AddMinutes(5), expires, None));

        Assert.Equal(new CertificateReplacement(certificate, "order-3", false, AcmeSamples.Now.AddMinutes(5), expires), await store.GetAsync(certificate, None));
        Assert.Null(await store.GetAsync(AcmeSamples.Id(), None));
    }

    [Fact]
    public async Task Racing_claims_from_nobody_have_one_winner()
    {
        var store = (await CreateRenewalStoresAsync()).Replacements;
        var certificate = AcmeSamples.Id();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.TryClaimAsync(certificate, $"order-{i}", null, AcmeSamples.Now, AcmeSamples.Now.AddDays(1), None)));

        Assert.Single(results, won => won);
    }

    [Fact]
    public async Task A_completed_claim_is_final_and_only_its_order_completes_it()
    {
        var store = (await CreateRenewalStoresAsync()).Replacements;
        var certificate = AcmeSamples.Id();
        await store.TryClaimAsync(certificate, "order-1", null, AcmeSamples.Now, AcmeSamples.Now.AddDays(1), None);

        Assert.False(await store.CompleteAsync(certificate, "order-2", None));
        Assert.True(await store.CompleteAsync(certificate, "order-1", None));
        Assert.False(await store.TryClaimAsync(certificate, "order-2", "order-1", AcmeSamples.Now, AcmeSamples.Now.AddDays(1), None));
        Assert.False(await store.CompleteAsync(AcmeSamples.Id(), "order-1", None));

        Assert.True((await store.GetAsync(certificate, None))!.Completed);
    }

    [Fact]
    public async Task Claims_on_expired_certificates_are_purged_and_others_stay()
    {
        var store = (await CreateRenewalStoresAsync()).Replacements;
        var expired = AcmeSamples.Id();
        var current = AcmeSamples.Id();
        await store.TryClaimAsync(expired, "order-1", null, AcmeSamples.Now, AcmeSamples.Now.AddMinutes(-1), None);
        await store.TryClaimAsync(current, "order-2", null, AcmeSamples.Now, AcmeSamples.Now.AddMinutes(1), None);

        Assert.Equal(1, await store.DeleteExpiredAsync(AcmeSamples.Now, None));

        Assert.Null(await store.GetAsync(expired, None));
        Assert.NotNull(await store.GetAsync(current, None));
        Assert.True(await store.TryClaimAsync(expired, "order-3", null, AcmeSamples.Now, AcmeSamples.Now.AddDays(1), None));
    }

    private static RenewalWindow Window(RenewalWindowScope scope, string target) => new()
    {
        Scope = scope,
        Target = target,
        Start = AcmeSamples.Now.AddDays(1),
        End = AcmeSamples.Now.AddDays(2),
        ExplanationUrl = "https://ca.example/why",
        SetBy = "token:operator",
        SetAt = AcmeSamples.Now,
    };
}
