using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Tests.Support;

namespace PkiProtocolServer.Core.Tests.Revocation;

/// <summary>Complete and delta CRLs as openssl, the relying party, reads and uses them.</summary>
public sealed class CrlPublisherTests : RevocationScenario
{
    private static readonly CancellationToken None = CancellationToken.None;

    private Task<PublishedCrl?> CrlAsync(bool delta = false, int? shard = null) =>
        Ca.Stores.Crls.GetAsync(Intermediate.Id, shard, delta, None);

    [Fact]
    public async Task A_complete_crl_lists_the_revoked_serial_with_reason_invalidity_date_number_and_aki_and_openssl_verifies_its_signature()
    {
        var leaf = await IssueAsync("www.example.com");
        var invalid = DateTimeOffset.UtcNow.AddDays(-2);
        await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.KeyCompromise, invalid, "test", None);

        await Node.Publisher.PublishDueAsync(force: true, None);

        var crl = (await CrlAsync())!;
        var text = OpensslReadsCrl(crl.Der);
        Assert.Contains("Serial Number: " + Hex(leaf), text);
        Assert.Contains("Key Compromise", text);
        Assert.Contains("Invalidity Date", text);
        Assert.Contains($"X509v3 CRL Number: \n                {crl.Info.Number}", text);
        Assert.Contains("X509v3 Authority Key Identifier", text);
        Assert.Contains("Freshest CRL", text);
        Assert.Contains(CrlBase + Intermediate.Id + "-delta.crl", text);
        Assert.Equal(1, crl.Info.EntryCount);
        Assert.Equal(crl.Info.ThisUpdate + Node.Options.Crl.Validity, crl.Info.NextUpdate);
    }

    [Fact]
    public async Task An_unspecified_reason_is_left_out_of_the_entry_as_rfc_5280_asks()
    {
        var leaf = await IssueAsync("plain.example.com");
        await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.Unspecified, null, "test", None);

        await Node.Publisher.PublishDueAsync(force: true, None);

        var text = OpensslReadsCrl((await CrlAsync())!.Der);
        Assert.Contains("Serial Number: " + Hex(leaf), text);
        Assert.DoesNotContain("CRL Reason Code", text);
    }

    [Fact]
    public async Task An_empty_crl_has_no_revoked_list_and_still_verifies()
    {
        await Node.Publisher.PublishDueAsync(force: true, None);

        Assert.Contains("No Revoked Certificates", OpensslReadsCrl((await CrlAsync())!.Der));
    }

    [Fact]
    public async Task Openssl_verify_with_crl_check_fails_for_the_revoked_certificate_and_passes_for_the_other()
    {
        var revoked = await IssueAsync("bad.example.com");
        var fine = await IssueAsync("good.example.com");
        await Node.Revocations.RevokeSerialAsync(revoked.Certificate.Serial, RevocationReason.KeyCompromise, null, "test", None);

        await Node.Publisher.PublishDueAsync(force: false, None);
        var crl = (await CrlAsync())!.Der;

        var (code, output) = OpensslVerifyWithCrls(revoked, [crl]);
        Assert.NotEqual(0, code);
        Assert.Contains("certificate revoked", output);
        Assert.Equal(0, OpensslVerifyWithCrls(fine, [crl]).ExitCode);
    }

    [Fact]
    public async Task A_pass_with_nothing_new_builds_nothing_and_a_revocation_makes_the_next_pass_rebuild_the_complete_crl()
    {
        var first = await Node.Publisher.PublishDueAsync(force: false, None);
        Assert.Equal(4, first.Published.Count); // complete and delta, of the root and of int
        Assert.Empty((await Node.Publisher.PublishDueAsync(force: false, None)).Published);

        var leaf = await IssueAsync("later.example.com");
        await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.Superseded, null, "test", None);
        var after = await Node.Publisher.PublishDueAsync(force: false, None);

        var complete = Assert.Single(after.Published, c => !c.IsDelta);
        Assert.Equal(Intermediate.Id, complete.IssuerId);
        Assert.Equal(1, complete.EntryCount);
        Assert.Contains(after.Published, c => c.IsDelta && c.BaseNumber == complete.Number && c.EntryCount == 0);
    }

    [Fact]
    public async Task Crl_numbers_increase_with_every_build_and_go_on_from_the_other_node()
    {
        using var other = RevocationNode.Second(Ca);
        await Node.Publisher.PublishDueAsync(force: true, None);
        var first = (await CrlAsync())!.Info.Number;

        await other.Publisher.PublishDueAsync(force: true, None);
        var second = (await CrlAsync())!.Info.Number;
        await Node.Publisher.PublishDueAsync(force: true, None);
        var third = (await CrlAsync())!.Info.Number;

        Assert.True(first < second && second < third, $"{first}, {second}, {third}");
    }

    [Fact]
    public async Task An_entry_leaves_the_crl_once_its_certificate_is_expired_longer_than_the_grace_period()
    {
        var leaf = await IssueAsync("short.example.com");
        await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.KeyCompromise, null, "test", None);
        var later = new ManualTime(leaf.Certificate.NotAfter + TimeSpan.FromHours(1));
        using var node = RevocationNode.Second(Ca, new RevocationOptions { Crl = { ExpiredEntryGrace = TimeSpan.FromHours(2) } }, later);

        await node.Publisher.PublishDueAsync(force: true, None);
        Assert.Equal(1, (await CrlAsync())!.Info.EntryCount);

        later.Advance(TimeSpan.FromHours(1.5));
        await node.Publisher.PublishDueAsync(force: true, None);
        Assert.Equal(0, (await CrlAsync())!.Info.EntryCount);
    }
}
