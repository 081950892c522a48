namespace PkiProtocolServer.Tests;

/// <summary>A server with CRL sharding on (<c>Pki:Revocation:Crl:Shards=4</c>): certificates name their shard's CRL, which names itself in its IDP.</summary>
public sealed class ShardedCrlEndpointTests : IAsyncLifetime, IDisposable
{
    private readonly PkiServerFactory _server = new();
    private readonly Openssl _openssl = new();

    public async Task InitializeAsync()
    {
        _server.Settings["Pki:Revocation:Crl:Shards"] = "4";
        await _server.Https("agent").PutJson("/api/v1/roles/shard", new { allowed_domains = new[] { "shard.example" }, allow_subdomains = true, ttl = "24h" }).Ok();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _openssl.Dispose();

    [Fact]
    public async Task A_certificate_names_its_shard_crl_which_carries_an_idp_naming_it_and_lists_the_certificate_after_its_revocation()
    {
        var leaf = await _server.Https("requester").PostJson("/api/v1/issue/shard", new { common_name = "a.shard.example" }).Ok();
        var path = Revocations.CdpPath(leaf.Str("certificate"));
        Assert.Matches($"^/crl/{leaf.Str("issuer_id")}/[0-3]\\.crl$", path);
        var rootPem = Chains.Split(await _server.Https().GetStringAsync("/ca-chain.pem"))[^1];

        var before = await _server.PlainHttp().GetByteArrayAsync(path);
        var text = _openssl.RunOk("crl", "-inform", "DER", "-in", Revocations.WriteBytes(_openssl, "shard.crl", before), "-noout", "-text");
        Assert.Contains("Issuing Distribution Point: critical", text);
        Assert.Contains("URI:http://localhost:8080" + path, text);
        Assert.Equal(0, Revocations.VerifyWithCrl(_openssl, leaf.Str("certificate"), leaf.Str("issuing_ca"), rootPem, before).ExitCode);

        var revoked = await _server.Https("agent").PostJson("/api/v1/revoke", new { serial_number = leaf.Str("serial_number") }).Ok();
        Assert.Equal(int.Parse(path.Split('/')[^1][..^4], System.Globalization.CultureInfo.InvariantCulture), revoked["crl_shard"]!.GetValue<int>());

        Assert.True(await Revocations.EventuallyAsync(async () =>
            Revocations.VerifyWithCrl(_openssl, leaf.Str("certificate"), leaf.Str("issuing_ca"), rootPem, await _server.PlainHttp().GetByteArrayAsync(path)).ExitCode != 0,
            TimeSpan.FromSeconds(15)), "the shard CRL never listed the revoked certificate");
    }
}
