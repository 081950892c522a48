using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Tests.Support;

namespace PkiProtocolServer.Core.Tests.Revocation;

/// <summary>With <see cref="CrlRebuildMode.Delta"/>, revocations go to the delta CRL until the complete CRL's schedule comes round.</summary>
public sealed class DeltaCrlTests : RevocationScenario
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected override RevocationOptions NodeOptions() => new() { Crl = { RebuildOnRevocation = CrlRebuildMode.Delta } };

    [Fact]
    public async Task The_delta_crl_lists_only_revocations_after_its_base_and_names_the_base_number()
    {
        var before = await IssueAsync("before.example.com");
        await Node.Revocations.RevokeSerialAsync(before.Certificate.Serial, RevocationReason.KeyCompromise, null, "test", None);
        await Node.Publisher.PublishDueAsync(force: true, None);
        var baseCrl = (await Ca.Stores.Crls.GetAsync(Intermediate.Id, null, false, None))!;

        var after = await IssueAsync("after.example.com");
        await Node.Revocations.RevokeSerialAsync(after.Certificate.Serial, RevocationReason.CessationOfOperation, null, "test", None);
        var pass = await Node.Publisher.PublishDueAsync(force: false, None);

        Assert.DoesNotContain(pass.Published, c => !c.IsDelta && c.IssuerId == Intermediate.Id);
        var delta = (await Ca.Stores.Crls.GetAsync(Intermediate.Id, null, true, None))!;
        var text = OpensslReadsCrl(delta.Der);
        Assert.Contains("Delta CRL Indicator: critical", text);
        Assert.Contains($"Delta CRL Indicator: critical\n                {baseCrl.Info.Number}", text);
        Assert.Contains("Serial Number: " + Hex(after), text);
        Assert.Contains("Cessation Of Operation", text);
        Assert.DoesNotContain("Serial Number: " + Hex(before), text);
        Assert.DoesNotContain("Freshest CRL", text);
        Assert.True(delta.Info.Number > baseCrl.Info.Number);
        Assert.Equal(baseCrl.Info.Number, delta.Info.BaseNumber);
    }

    [Fact]
    public async Task Openssl_finds_a_revocation_through_the_delta_crl_that_its_base_does_not_have()
    {
        await Node.Publisher.PublishDueAsync(force: true, None);
        var leaf = await IssueAsync("delta.example.com");
        await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.KeyCompromise, null, "test", None);
        await Node.Publisher.PublishDueAsync(force: false, None);
        var complete = (await Ca.Stores.Crls.GetAsync(Intermediate.Id, null, false, None))!.Der;
        var delta = (await Ca.Stores.Crls.GetAsync(Intermediate.Id, null, true, None))!.Der;

        Assert.Equal(0, OpensslVerifyWithCrls(leaf, [complete]).ExitCode);
        var (code, output) = OpensslVerifyWithCrls(leaf, [complete, delta], "-use_deltas");
        Assert.NotEqual(0, code);
        Assert.Contains("certificate revoked", output);
    }

    [Fact]
    public async Task A_new_complete_crl_takes_in_the_delta_entries_and_the_next_delta_starts_empty_against_it()
    {
        await Node.Publisher.PublishDueAsync(force: true, None);
        var leaf = await IssueAsync("rolled.example.com");
        await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.KeyCompromise, null, "test", None);
        await Node.Publisher.PublishDueAsync(force: false, None);

        var rotated = await Node.Publisher.PublishDueAsync(force: true, None);

        var complete = Assert.Single(rotated.Published, c => !c.IsDelta && c.IssuerId == Intermediate.Id);
        var delta = Assert.Single(rotated.Published, c => c.IsDelta && c.IssuerId == Intermediate.Id);
        Assert.Equal(1, complete.EntryCount);
        Assert.Equal(0, delta.EntryCount);
        Assert.Equal(complete.Number, delta.BaseNumber);
    }
}
