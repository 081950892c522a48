using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Tests.Support;

namespace PkiProtocolServer.Core.Tests.Revocation;

/// <summary>Pre-signed responses over time: refreshed before they go stale, responders rotated, the issuer key spared.</summary>
public sealed class OcspLifecycleTests : RevocationScenario
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ManualTime _time = new();

    public OcspLifecycleTests()
        : base(c => new CountingCustody(c))
    {
    }

    private CountingCustody Custody => (CountingCustody)Ca.Keys.Get("software");

    protected override TimeProvider NodeTime() => _time;

    protected override RevocationOptions NodeOptions() => new()
    {
        Ocsp = { Validity = TimeSpan.FromHours(4), NodeCacheTtl = TimeSpan.FromSeconds(2), ResponderLifetime = TimeSpan.FromDays(2), ResponderRotateBefore = TimeSpan.FromHours(12) },
    };

    [Fact]
    public async Task A_response_is_reused_until_its_refresh_time_and_then_signed_again_with_a_later_this_update()
    {
        var leaf = await IssueAsync("reuse.example.com");
        var request = OcspRequest(leaf);
        var first = await Node.Ocsp.RespondAsync(request, None);

        _time.Advance(TimeSpan.FromHours(1.9));
        Assert.Equal(first.Der, (await Node.Ocsp.RespondAsync(request, None)).Der);

        _time.Advance(TimeSpan.FromHours(0.2)); // past half of the 4 h validity
        var refreshed = await Node.Ocsp.RespondAsync(request, None);

        Assert.NotEqual(first.Der, refreshed.Der);
        Assert.Equal(first.ThisUpdate!.Value.AddHours(2.1), refreshed.ThisUpdate!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal(refreshed.ThisUpdate.Value.AddHours(4), refreshed.NextUpdate!.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task The_background_refresh_signs_due_responses_again_before_any_request_comes()
    {
        var leaf = await IssueAsync("background.example.com");
        var request = OcspRequest(leaf);
        var first = await Node.Ocsp.RespondAsync(request, None);

        _time.Advance(TimeSpan.FromHours(2) - Node.Options.PollInterval + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Node.Ocsp.RefreshDueAsync(None));

        var cached = Assert.Single(await Ca.Stores.OcspResponses.ListRefreshDueAsync(_time.Now.AddDays(1), 10, None));
        Assert.True(cached.ThisUpdate > first.ThisUpdate);
        Assert.Equal(0, await Node.Ocsp.RefreshDueAsync(None));
    }

    [Fact]
    public async Task Answering_many_certificates_signs_with_the_issuer_key_once_for_the_responder_and_never_per_response()
    {
        var issuerKey = (await Ca.Catalog.GetAsync(None)).Resolve("int").Key!.KeyReference;
        var leaves = new List<Core.Issuance.IssuanceResult>();
        for (var i = 0; i < 5; i++)
        {
            leaves.Add(await IssueAsync($"n{i}.example.com"));
        }

        var before = Custody.SignaturesBy(issuerKey);
        foreach (var leaf in leaves)
        {
            await Node.Ocsp.RespondAsync(OcspRequest(leaf), None);
            await Node.Ocsp.RespondAsync(OcspRequest(leaf, nonce: true), None);
        }

        Assert.Equal(1, Custody.SignaturesBy(issuerKey) - before); // the responder certificate
        var responder = await Ca.Stores.OcspResponders.GetCurrentAsync(Intermediate.Id, None);
        Assert.Equal(10, Custody.SignaturesBy(responder!.KeyReference));
    }

    [Fact]
    public async Task A_responder_near_its_end_is_rotated_and_later_responses_are_signed_by_the_new_one_which_openssl_accepts()
    {
        var leaf = await IssueAsync("rotate.example.com");
        await Node.Ocsp.RespondAsync(OcspRequest(leaf), None);
        var original = await Ca.Stores.OcspResponders.GetCurrentAsync(Intermediate.Id, None);

        await Node.Responders.RotateDueAsync(await Ca.Catalog.GetAsync(None), None); // the root's first responder
        Assert.Empty(await Node.Responders.RotateDueAsync(await Ca.Catalog.GetAsync(None), None));
        _time.Advance(TimeSpan.FromDays(2) - TimeSpan.FromHours(11));
        var rotated = Assert.Single(await Node.Responders.RotateDueAsync(await Ca.Catalog.GetAsync(None), None), r => r.IssuerId == Intermediate.Id);

        Assert.NotEqual(original!.Id, rotated.Id);
        Assert.True(rotated.NotAfter > original.NotAfter);
        var response = await Node.Ocsp.RespondAsync(OcspRequest(leaf, nonce: true), None);
        // -attime moves chain validation to the test's clock; the status-time check still uses the real one, hence no "leaf: good" line.
        var text = OpensslReadsResponse(response.Der, leaf, "-resp_text", "-attime", _time.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var keyHash = Core.X509.Extensions.KeyIdentifier(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(rotated.CertificateDer).PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Contains("Responder Id: " + Convert.ToHexString(keyHash), text);
        Assert.Contains("Cert Status: good", text);
    }

    [Fact]
    public async Task No_response_outlives_the_responder_certificate_that_vouches_for_it()
    {
        var leaf = await IssueAsync("capped.example.com");
        await Node.Ocsp.RespondAsync(OcspRequest(leaf), None);
        var responder = await Ca.Stores.OcspResponders.GetCurrentAsync(Intermediate.Id, None);

        _time.Now = responder!.NotAfter - TimeSpan.FromHours(7); // usable still (rotation is due), 7 h left
        Node.OcspMemory.Clear();
        var response = await Node.Ocsp.RespondAsync(OcspRequest(leaf, nonce: true), None);

        Assert.True(response.NextUpdate <= responder.NotAfter);
    }
}
