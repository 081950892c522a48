using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Tests.Support;

namespace PkiProtocolServer.Core.Tests.Revocation;

/// <summary>Two nodes over one data directory (each with its own connections, catalog, key registry and caches) agree.</summary>
public sealed class MultiNodeTests : RevocationScenario
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ManualTime _time = new();

    protected override TimeProvider NodeTime() => _time;

    [Fact]
    public async Task A_revocation_on_one_node_is_seen_by_the_other_nodes_ocsp_within_its_node_cache_lifetime_and_in_its_crl()
    {
        using var other = RevocationNode.Second(Ca, time: _time);
        var leaf = await IssueAsync("shared.example.com");
        var request = OcspRequest(leaf);
        Assert.Contains(": good", OpensslReadsResponse((await other.Ocsp.RespondAsync(request, None)).Der, leaf));
        await Node.Maintenance.RunOnceAsync(None);

        await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.KeyCompromise, null, "test", None);

        _time.Advance(other.Options.Ocsp.NodeCacheTtl);
        Assert.Contains(": revoked", OpensslReadsResponse((await other.Ocsp.RespondAsync(request, None)).Der, leaf));
        await Node.Maintenance.RunOnceAsync(None);
        _time.Advance(other.Options.Crl.NodeCacheTtl);
        var intermediate = (await other.Catalog.GetAsync(None)).Resolve("int");
        var crl = await other.CrlReader.GetAsync(intermediate, null, false, None);
        var (code, output) = OpensslVerifyWithCrls(leaf, [crl!.Der]);
        Assert.NotEqual(0, code);
        Assert.Contains("certificate revoked", output);
    }

    [Fact]
    public async Task While_one_node_holds_the_maintenance_lease_the_other_skips_its_pass_and_takes_over_when_it_lapses()
    {
        using var other = RevocationNode.Second(Ca, time: _time);
        Assert.True(await Ca.Stores.Coordination.TryAcquireLeaseAsync(RevocationMaintenance.LeaseName, Node.Maintenance.NodeId, _time.Now, TimeSpan.FromMinutes(2), None));

        Assert.Null(await other.Maintenance.RunOnceAsync(None));

        _time.Advance(TimeSpan.FromMinutes(2));
        var report = await other.Maintenance.RunOnceAsync(None);
        Assert.NotNull(report);
        Assert.Contains(report.Crls.Published, c => c.IssuerId == Intermediate.Id);
    }

    [Fact]
    public async Task Both_nodes_serve_the_crl_one_of_them_published()
    {
        using var other = RevocationNode.Second(Ca, time: _time);
        await Node.Maintenance.RunOnceAsync(None);
        var intermediate = (await Ca.Catalog.GetAsync(None)).Resolve("int");

        var fromA = await Node.CrlReader.GetAsync(intermediate, null, false, None);
        var fromB = await other.CrlReader.GetAsync((await other.Catalog.GetAsync(None)).Resolve("int"), null, false, None);

        Assert.Equal(fromA!.Der, fromB!.Der);
    }
}
