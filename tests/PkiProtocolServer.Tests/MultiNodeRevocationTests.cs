namespace PkiProtocolServer.Tests;

/// <summary>Two server instances on one data directory (as two processes sharing it would be): a revocation on one reaches the other's OCSP and CRL.</summary>
public sealed class MultiNodeRevocationTests : IDisposable
{
    private readonly string _dataDirectory = PkiServerFactory.NewDataDirectory();
    private readonly Openssl _openssl = new();

    public void Dispose()
    {
        _openssl.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_certificate_revoked_on_node_a_is_revoked_in_node_bs_ocsp_and_crl_within_the_configured_delays()
    {
        await using var a = PkiServerFactory.OnDirectory(_dataDirectory);
        await a.Https("agent").PutJson("/api/v1/roles/nodes", new { allowed_domains = new[] { "nodes.example" }, allow_subdomains = true, ttl = "24h" }).Ok();
        await using var b = PkiServerFactory.OnDirectory(_dataDirectory);
        var rootPem = Chains.Split(await b.Https().GetStringAsync("/ca-chain.pem"))[^1];
        var leaf = await a.Https("requester").PostJson("/api/v1/issue/nodes", new { common_name = "x.nodes.example" }).Ok();
        var request = Revocations.OcspRequest(_openssl, leaf.Str("certificate"), leaf.Str("issuing_ca"));
        Assert.Contains(": good", Revocations.OpensslStatus(_openssl, await Revocations.PostOcspAsync(b.PlainHttp(), request), leaf.Str("certificate"), leaf.Str("issuing_ca"), rootPem));

        await a.Https("agent").PostJson("/api/v1/revoke", new { serial_number = leaf.Str("serial_number"), reason = "key_compromise" }).Ok();

        // Node B answers from its memory for at most Pki:Revocation:Ocsp:NodeCacheTtl (2 s).
        Assert.True(await Revocations.EventuallyAsync(async () =>
            Revocations.OpensslStatus(_openssl, await Revocations.PostOcspAsync(b.PlainHttp(), request), leaf.Str("certificate"), leaf.Str("issuing_ca"), rootPem).Contains(": revoked", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5)), "node B's OCSP never said revoked");
        var path = Revocations.CdpPath(leaf.Str("certificate"));
        Assert.True(await Revocations.EventuallyAsync(async () =>
            Revocations.VerifyWithCrl(_openssl, leaf.Str("certificate"), leaf.Str("issuing_ca"), rootPem, await b.PlainHttp().GetByteArrayAsync(path)).ExitCode != 0,
            TimeSpan.FromSeconds(15)), "node B's CRL never listed the certificate");
        var revokedOnB = await b.Https().GetAsync($"/api/v1/revoked/{leaf.Str("serial_number")}").Ok();
        Assert.Equal("key_compromise", revokedOnB.Str("reason"));
    }
}
