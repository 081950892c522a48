namespace PkiProtocolServer.Tests;

/// <summary>CRLs as relying parties fetch them: at the certificate's CDP, over plain HTTP, DER and PEM, with caching headers.</summary>
public sealed class CrlEndpointTests : IClassFixture<PkiServerFactory>, IAsyncLifetime, IDisposable
{
    private readonly PkiServerFactory _server;
    private readonly Openssl _openssl = new();
    private JsonNode _leaf = null!;
    private string _rootPem = string.Empty;

    public CrlEndpointTests(PkiServerFactory server)
    {
        _server = server;
    }

    public async Task InitializeAsync()
    {
        await _server.Https("agent").PutJson("/api/v1/roles/crl", new { allowed_domains = new[] { "crl.example" }, allow_subdomains = true, ttl = "24h" }).Ok();
        _leaf = await IssueAsync("first");
        _rootPem = Chains.Split(await _server.Https().GetStringAsync("/ca-chain.pem"))[^1];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _openssl.Dispose();

    private Task<JsonNode> IssueAsync(string name) =>
        _server.Https("requester").PostJson("/api/v1/issue/crl", new { common_name = name + ".crl.example" }).Ok();

    [Fact]
    public async Task The_crl_named_in_the_certificate_is_served_over_plain_http_in_der_with_caching_headers()
    {
        var path = Revocations.CdpPath(_leaf.Str("certificate"));
        Assert.Equal($"/crl/{_leaf.Str("issuer_id")}.crl", path);

        using var response = await _server.PlainHttp().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pkix-crl", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.InRange(response.Headers.CacheControl.MaxAge!.Value, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.NotNull(response.Headers.ETag);
        var der = await response.Content.ReadAsByteArrayAsync();
        var text = _openssl.RunOk("crl", "-inform", "DER", "-in", Revocations.WriteBytes(_openssl, "served.crl", der), "-CAfile", _openssl.File("int.pem", _leaf.Str("issuing_ca")), "-noout", "-text");
        Assert.Contains("verify OK", text);
        Assert.Contains("Freshest CRL", text);
        Assert.Equal(0, Revocations.VerifyWithCrl(_openssl, _leaf.Str("certificate"), _leaf.Str("issuing_ca"), _rootPem, der).ExitCode);
    }

    [Fact]
    public async Task The_same_crl_is_served_as_pem_and_an_unchanged_one_answers_304_to_if_none_match()
    {
        var path = Revocations.CdpPath(_leaf.Str("certificate"));
        using var first = await _server.PlainHttp().GetAsync(path);
        var pem = await _server.PlainHttp().GetStringAsync(path[..^4] + ".pem");

        Assert.StartsWith("-----BEGIN X509 CRL-----", pem);
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var again = await _server.PlainHttp().SendAsync(request);
        Assert.True(again.StatusCode is HttpStatusCode.NotModified or HttpStatusCode.OK); // OK only if a rebuild happened in between
    }

    [Fact]
    public async Task The_delta_crl_is_served_with_a_delta_crl_indicator()
    {
        var der = await _server.PlainHttp().GetByteArrayAsync($"/crl/{_leaf.Str("issuer_id")}-delta.crl");

        var text = _openssl.RunOk("crl", "-inform", "DER", "-in", Revocations.WriteBytes(_openssl, "delta.crl", der), "-noout", "-text");
        Assert.Contains("Delta CRL Indicator: critical", text);
    }

    [Fact]
    public async Task Openssl_verify_with_the_served_crl_fails_for_a_certificate_soon_after_its_revocation()
    {
        var leaf = await IssueAsync("revoked");
        var path = Revocations.CdpPath(leaf.Str("certificate"));
        Assert.Equal(0, Revocations.VerifyWithCrl(_openssl, leaf.Str("certificate"), leaf.Str("issuing_ca"), _rootPem, await _server.PlainHttp().GetByteArrayAsync(path)).ExitCode);

        await _server.Https("agent").PostJson("/api/v1/revoke", new { serial_number = leaf.Str("serial_number"), reason = "key_compromise" }).Ok();

        // Debounce (2 s) + build + the node's 2 s CRL cache: well within 15 s.
        string output = string.Empty;
        Assert.True(await Revocations.EventuallyAsync(async () =>
        {
            var (code, text) = Revocations.VerifyWithCrl(_openssl, leaf.Str("certificate"), leaf.Str("issuing_ca"), _rootPem, await _server.PlainHttp().GetByteArrayAsync(path));
            output = text;
            return code != 0;
        }, TimeSpan.FromSeconds(15)), "the CRL never listed the revoked certificate");
        Assert.Contains("certificate revoked", output);
    }

    [Theory]
    [InlineData("/crl/no-such-issuer.crl")]
    [InlineData("/crl/default.txt")]
    [InlineData("/crl/default/99.crl")]
    [InlineData("/crl/default/x.crl")]
    public async Task Unknown_issuers_files_and_shards_are_404_problems(string path)
    {
        await Problem.AssertAsync(_server.PlainHttp().GetAsync(path), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_default_issuer_is_reachable_by_its_reference_too()
    {
        using var byName = await _server.PlainHttp().GetAsync("/crl/default.crl");
        Assert.Equal(HttpStatusCode.OK, byName.StatusCode);
    }
}
