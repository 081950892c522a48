namespace PkiProtocolServer.Tests;

/// <summary>A server configured to answer revocations with delta CRLs (<c>Pki:Revocation:Crl:RebuildOnRevocation=Delta</c>).</summary>
public sealed class DeltaCrlEndpointTests : IAsyncLifetime, IDisposable
{
    private readonly PkiServerFactory _server = new();
    private readonly Openssl _openssl = new();

    public async Task InitializeAsync()
    {
        _server.Settings["Pki:Revocation:Crl:RebuildOnRevocation"] = "Delta";
        _server.Settings["Pki:Revocation:Crl:RevocationDebounce"] = "00:00:00.500";
        await _server.Https("agent").PutJson("/api/v1/roles/delta", new { allowed_domains = new[] { "delta.example" }, allow_subdomains = true, ttl = "24h" }).Ok();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _openssl.Dispose();

    [Fact]
    public async Task After_a_revocation_the_delta_crl_lists_it_against_the_complete_crl_which_does_not_yet()
    {
        var leaf = await _server.Https("requester").PostJson("/api/v1/issue/delta", new { common_name = "a.delta.example" }).Ok();
        var issuer = leaf.Str("issuer_id");
        var serial = leaf.Str("serial_number").ToUpperInvariant();
        var rootPem = Chains.Split(await _server.Https().GetStringAsync("/ca-chain.pem"))[^1];
        await _server.Https("agent").PostJson("/api/v1/crl/rotate", new { }).Ok();

        await _server.Https("agent").PostJson("/api/v1/revoke", new { serial_number = serial, reason = "key_compromise" }).Ok();

        var delta = string.Empty;
        Assert.True(await Revocations.EventuallyAsync(async () =>
        {
            var der = await _server.PlainHttp().GetByteArrayAsync($"/crl/{issuer}-delta.crl");
            delta = _openssl.RunOk("crl", "-inform", "DER", "-in", Revocations.WriteBytes(_openssl, "delta.crl", der), "-noout", "-text");
            return delta.Contains(serial, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15)), "the delta CRL never listed the revocation");
        var complete = await _server.PlainHttp().GetByteArrayAsync($"/crl/{issuer}.crl");
        var completeText = _openssl.RunOk("crl", "-inform", "DER", "-in", Revocations.WriteBytes(_openssl, "complete.crl", complete), "-noout", "-text");
        Assert.DoesNotContain(serial, completeText);
        var baseNumber = System.Text.RegularExpressions.Regex.Match(completeText, @"CRL Number: \n\s+(\d+)").Groups[1].Value;
        Assert.Contains($"Delta CRL Indicator: critical\n                {baseNumber}", delta);
        Assert.Contains("Key Compromise", delta);

        // openssl, given both, treats the certificate as revoked.
        _openssl.RunOk("crl", "-inform", "DER", "-in", _openssl.PathOf("complete.crl"), "-out", _openssl.PathOf("complete.pem"));
        _openssl.RunOk("crl", "-inform", "DER", "-in", _openssl.PathOf("delta.crl"), "-out", _openssl.PathOf("delta.pem"));
        var (code, output) = _openssl.Run("verify", "-crl_check", "-use_deltas", "-CAfile", _openssl.File("root.pem", rootPem), "-untrusted", _openssl.File("int.pem", leaf.Str("issuing_ca")),
            "-CRLfile", _openssl.PathOf("complete.pem"), "-CRLfile", _openssl.PathOf("delta.pem"), _openssl.File("leaf.pem", leaf.Str("certificate")));
        Assert.NotEqual(0, code);
        Assert.Contains("certificate revoked", output);
    }
}
