using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Tests.Support;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Tests.Revocation;

/// <summary>CRL sharding as Let's Encrypt does it: the shard fixed at issuance in the CDP, an IDP naming it on the shard's CRL.</summary>
public sealed class CrlShardTests : RevocationScenario
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected override int ShardCount => 4;

    protected override RevocationOptions NodeOptions() => new() { Crl = { Shards = 4 } };

    [Fact]
    public async Task A_certificate_names_the_crl_of_the_shard_its_serial_picks()
    {
        var leaf = await IssueAsync("shard.example.com");
        var certificate = Load(leaf);

        var expected = CrlShards.ShardOf(certificate.SerialNumberBytes.Span, 4);
        var urls = CrlShards.DistributionPointUris(certificate.Extensions[Extensions.CrlDistributionPointsOid]!.RawData).ToList();
        Assert.Equal([$"{CrlBase}{Intermediate.Id}/{expected}.crl"], urls);
        Assert.Equal(expected, CrlShards.ShardFromCertificate(certificate));
    }

    [Fact]
    public async Task Serials_spread_over_every_shard()
    {
        var shards = Enumerable.Range(0, 400).Select(_ => CrlShards.ShardOf(SerialNumbers.New(), 4)).ToList();

        Assert.All(Enumerable.Range(0, 4), s => Assert.InRange(shards.Count(x => x == s), 50, 150));
    }

    [Fact]
    public async Task Each_shard_crl_carries_an_issuing_distribution_point_naming_it_and_holds_only_its_entries()
    {
        var leaves = new List<Core.Issuance.IssuanceResult>();
        for (var i = 0; i < 8; i++)
        {
            var leaf = await IssueAsync($"s{i}.example.com");
            leaves.Add(leaf);
            await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.KeyCompromise, null, "test", None);
        }

        var pass = await Node.Publisher.PublishDueAsync(force: false, None);

        Assert.Equal(5, pass.Published.Count(c => c.IssuerId == Intermediate.Id && !c.IsDelta)); // all entries + 4 shards
        var all = (await Ca.Stores.Crls.GetAsync(Intermediate.Id, null, false, None))!;
        Assert.Equal(8, all.Info.EntryCount);
        Assert.DoesNotContain("Issuing Distribution Point", OpensslReadsCrl(all.Der));
        for (var shard = 0; shard < 4; shard++)
        {
            var crl = (await Ca.Stores.Crls.GetAsync(Intermediate.Id, shard, false, None))!;
            var text = OpensslReadsCrl(crl.Der);
            Assert.Contains("Issuing Distribution Point: critical", text);
            Assert.Contains($"URI:{CrlBase}{Intermediate.Id}/{shard}.crl", text);
            var mine = leaves.Where(l => CrlShards.ShardFromCertificate(Load(l)) == shard).ToList();
            Assert.Equal(mine.Count, crl.Info.EntryCount);
            Assert.All(mine, l => Assert.Contains("Serial Number: " + Hex(l), text));
        }
    }

    [Fact]
    public async Task Openssl_rejects_a_revoked_certificate_with_its_shard_crl_and_refuses_another_shards_crl_for_it()
    {
        var leaf = await IssueAsync("victim.example.com");
        var shard = CrlShards.ShardFromCertificate(Load(leaf))!.Value;
        await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.KeyCompromise, null, "test", None);
        await Node.Publisher.PublishDueAsync(force: false, None);

        var own = (await Ca.Stores.Crls.GetAsync(Intermediate.Id, shard, false, None))!.Der;
        var (code, output) = OpensslVerifyWithCrls(leaf, [own]);
        Assert.NotEqual(0, code);
        Assert.Contains("certificate revoked", output);

        // The IDP of another shard does not match the certificate's CDP: openssl will not use that CRL for it.
        var foreign = (await Ca.Stores.Crls.GetAsync(Intermediate.Id, (shard + 1) % 4, false, None))!.Der;
        var (foreignCode, foreignOutput) = OpensslVerifyWithCrls(leaf, [foreign]);
        Assert.NotEqual(0, foreignCode);
        Assert.Contains("error 44", foreignOutput); // X509_V_ERR_DIFFERENT_CRL_SCOPE
    }

    [Fact]
    public async Task The_revocation_records_the_shard_named_in_the_certificate()
    {
        var leaf = await IssueAsync("recorded.example.com");

        var entry = await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.Superseded, null, "test", None);

        Assert.Equal(CrlShards.ShardFromCertificate(X509CertificateLoader.LoadCertificate(leaf.Certificate.CertificateDer)), entry.Shard);
        Assert.NotNull(entry.Shard);
    }
}
