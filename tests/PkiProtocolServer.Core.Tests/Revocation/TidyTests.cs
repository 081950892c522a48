using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Tests.Support;

namespace PkiProtocolServer.Core.Tests.Revocation;

/// <summary>Tidy removes what expired past the safety buffer, reports it, and is harmless on several nodes at once.</summary>
public sealed class TidyTests : RevocationScenario
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Tidy_removes_records_expired_past_the_buffer_keeps_the_rest_and_any_node_reads_its_report()
    {
        var expired = await IssueAsync("old.example.com");
        var revokedExpired = await IssueAsync("old-revoked.example.com");
        await Node.Revocations.RevokeSerialAsync(revokedExpired.Certificate.Serial, RevocationReason.KeyCompromise, null, "test", None);
        var current = await IssueAsync("current.example.com");
        await Node.Revocations.RevokeSerialAsync(current.Certificate.Serial, RevocationReason.KeyCompromise, null, "test", None);
        await Node.Ocsp.RespondAsync(OcspRequest(current), None); // makes a delegated responder, which expires within days
        var responder = await Ca.Stores.OcspResponders.GetCurrentAsync(Intermediate.Id, None);
        var later = new ManualTime(expired.Certificate.NotAfter + TimeSpan.FromHours(73));
        using var node = RevocationNode.Second(Ca, time: later);
        await Ca.Stores.Certificates.AddAsync(current.Certificate with { Serial = "0fffff", NotAfter = later.Now.AddDays(1) }, None);
        var keep = (await Ca.Stores.Revocations.AddAsync(
            new RevocationEntry { Serial = "0fffff", IssuerId = Intermediate.Id, RevokedAt = later.Now, NotAfter = later.Now.AddDays(1) }, None)).Entry;

        var report = await node.Tidy.RunAsync("token:agent", "node-b", null, None);

        Assert.True(report.CertificatesRemoved >= 3); // the three leaves (and any expired responder certificate)
        Assert.Equal(2, report.RevocationsRemoved);
        Assert.Equal(TimeSpan.FromHours(72), report.SafetyBuffer);
        Assert.Equal(1, report.OcspRespondersRemoved);
        Assert.Null(await Ca.Stores.OcspResponders.GetCurrentAsync(Intermediate.Id, None));
        await Assert.ThrowsAnyAsync<Exception>(async () => await Ca.NewSoftwareCustody().OpenAsync(responder!.KeyReference, None)); // its key is destroyed
        Assert.Null(await Ca.Stores.Certificates.GetAsync(expired.Certificate.Serial, None));
        Assert.Null(await Ca.Stores.Revocations.GetAsync(revokedExpired.Certificate.Serial, None));
        Assert.NotNull(await Ca.Stores.Certificates.GetAsync("0fffff", None));
        Assert.NotNull(await Ca.Stores.Revocations.GetAsync(keep.Serial, None));
        var seen = await Node.Tidy.LastReportAsync(None);
        Assert.Equal(report.CertificatesRemoved, seen!.CertificatesRemoved);
        Assert.Equal("node-b", seen.Node);
        Assert.Contains(Ca.Audit.Events, e => e.Operation == "tidy" && e.Outcome == "success" && e.Detail!.Contains("revocations=2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_buffer_longer_than_the_time_since_expiry_keeps_the_records()
    {
        var leaf = await IssueAsync("buffered.example.com");
        using var node = RevocationNode.Second(Ca, time: new ManualTime(leaf.Certificate.NotAfter + TimeSpan.FromHours(1)));

        var report = await node.Tidy.RunAsync("test", "node-b", TimeSpan.FromHours(2), None);

        Assert.Equal(0, report.CertificatesRemoved);
        Assert.NotNull(await Ca.Stores.Certificates.GetAsync(leaf.Certificate.Serial, None));
    }

    [Fact]
    public async Task Two_nodes_tidying_at_once_remove_each_record_exactly_once_between_them()
    {
        for (var i = 0; i < 30; i++)
        {
            var leaf = await IssueAsync($"t{i}.example.com");
            await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.Superseded, null, "test", None);
        }

        var later = new ManualTime(DateTimeOffset.UtcNow.AddDays(40));
        using var a = RevocationNode.Second(Ca, time: later);
        using var b = RevocationNode.Second(Ca, time: later);

        var reports = await Task.WhenAll(
            Task.Run(() => a.Tidy.RunAsync("test", "a", null, None)),
            Task.Run(() => b.Tidy.RunAsync("test", "b", null, None)));

        Assert.Equal(30, reports.Sum(r => r.RevocationsRemoved));
        Assert.True(reports.Sum(r => r.CertificatesRemoved) >= 30);
        Assert.Empty(await Ca.Stores.Revocations.ListAfterAsync(0, 100, None));
    }
}
