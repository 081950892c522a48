namespace PkiProtocolServer.Tests;

/// <summary>The OCSP responder over HTTP (RFC 6960 appendix A, RFC 5019): POST and GET, on the plain listener, never a 500.</summary>
public sealed class OcspEndpointTests : IClassFixture<PkiServerFactory>, IAsyncLifetime, IDisposable
{
    private readonly PkiServerFactory _server;
    private readonly Openssl _openssl = new();
    private string _rootPem = string.Empty;

    public OcspEndpointTests(PkiServerFactory server)
    {
        _server = server;
    }

    public async Task InitializeAsync()
    {
        await _server.Https("agent").PutJson("/api/v1/roles/ocsp", new { allowed_domains = new[] { "ocsp.example" }, allow_subdomains = true, ttl = "24h" }).Ok();
        _rootPem = Chains.Split(await _server.Https().GetStringAsync("/ca-chain.pem"))[^1];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _openssl.Dispose();

    private Task<JsonNode> IssueAsync(string name) =>
        _server.Https("requester").PostJson("/api/v1/issue/ocsp", new { common_name = name + ".ocsp.example" }).Ok();

    [Fact]
    public async Task A_post_answers_good_and_right_after_the_revocation_revoked_with_reason()
    {
        var leaf = await IssueAsync("post");
        var request = Revocations.OcspRequest(_openssl, leaf.Str("certificate"), leaf.Str("issuing_ca"));
        var plain = _server.PlainHttp();

        Assert.Contains(": good", Revocations.OpensslStatus(_openssl, await Revocations.PostOcspAsync(plain, request), leaf.Str("certificate"), leaf.Str("issuing_ca"), _rootPem));
        await _server.Https("agent").PostJson("/api/v1/revoke", new { serial_number = leaf.Str("serial_number"), reason = "cessation_of_operation" }).Ok();

        var status = Revocations.OpensslStatus(_openssl, await Revocations.PostOcspAsync(plain, request), leaf.Str("certificate"), leaf.Str("issuing_ca"), _rootPem);
        Assert.Contains(": revoked", status);
        Assert.Contains("Reason: cessationOfOperation", status);
    }

    [Fact]
    public async Task A_get_with_the_url_encoded_base64_request_answers_with_rfc_5019_caching_headers()
    {
        var leaf = await IssueAsync("get");
        var request = Revocations.OcspRequest(_openssl, leaf.Str("certificate"), leaf.Str("issuing_ca"));

        using var response = await _server.PlainHttp().GetAsync("/ocsp/" + Uri.EscapeDataString(Convert.ToBase64String(request)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ocsp-response", response.Content.Headers.ContentType?.MediaType);
        var cache = response.Headers.CacheControl!;
        Assert.True(cache.Public && cache.NoTransform && cache.MustRevalidate);
        Assert.InRange(cache.MaxAge!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.NotNull(response.Headers.ETag);
        Assert.Contains(": good", Revocations.OpensslStatus(_openssl, await response.Content.ReadAsByteArrayAsync(), leaf.Str("certificate"), leaf.Str("issuing_ca"), _rootPem));
    }

    [Fact]
    public async Task A_get_with_unescaped_slashes_and_pluses_in_the_base64_still_works()
    {
        var leaf = await IssueAsync("raw");
        var request = Revocations.OcspRequest(_openssl, leaf.Str("certificate"), leaf.Str("issuing_ca"));

        using var response = await _server.PlainHttp().GetAsync("/ocsp/" + Convert.ToBase64String(request).Replace("=", "%3D", StringComparison.Ordinal));

        Assert.Contains(": good", Revocations.OpensslStatus(_openssl, await response.Content.ReadAsByteArrayAsync(), leaf.Str("certificate"), leaf.Str("issuing_ca"), _rootPem));
    }

    [Fact]
    public async Task A_response_to_a_request_with_a_nonce_is_not_cacheable()
    {
        var leaf = await IssueAsync("nonce");
        using var content = new ByteArrayContent(Revocations.OcspRequest(_openssl, leaf.Str("certificate"), leaf.Str("issuing_ca"), nonce: true));

        using var response = await _server.PlainHttp().PostAsync("/ocsp", content);

        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    public static TheoryData<string, byte[]> MalformedBodies => new()
    {
        { "empty", [] },
        { "text", "hello"u8.ToArray() },
        { "truncated DER", [0x30, 0x82, 0x01, 0x00, 0x30] },
        { "a certificate instead of a request", [0x30, 0x03, 0x02, 0x01, 0x00] },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_post_gets_malformedRequest_with_200_never_a_500(string what, byte[] body)
    {
        _ = what;
        using var content = new ByteArrayContent(body);

        using var response = await _server.PlainHttp().PostAsync("/ocsp", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new byte[] { 0x30, 0x03, 0x0a, 0x01, 0x01 }, await response.Content.ReadAsByteArrayAsync());
        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    [Theory]
    [InlineData("/ocsp/not*base64")]
    [InlineData("/ocsp/aGVsbG8=")]
    [InlineData("/ocsp/")]
    public async Task A_malformed_get_gets_malformedRequest_never_a_500(string path)
    {
        using var response = await _server.PlainHttp().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new byte[] { 0x30, 0x03, 0x0a, 0x01, 0x01 }, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_oversized_post_gets_malformedRequest()
    {
        using var content = new ByteArrayContent(new byte[100_000]);

        using var response = await _server.PlainHttp().PostAsync("/ocsp", content);

        Assert.Equal(new byte[] { 0x30, 0x03, 0x0a, 0x01, 0x01 }, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_request_about_a_foreign_issuer_gets_unauthorized()
    {
        _openssl.RunOk("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", _openssl.PathOf("foreign.key"), "-subj", "/CN=Foreign", "-days", "1", "-out", _openssl.PathOf("foreign.pem"));
        _openssl.RunOk("ocsp", "-issuer", _openssl.PathOf("foreign.pem"), "-serial", "0x1234", "-no_nonce", "-reqout", _openssl.PathOf("foreign.req"));

        var response = await Revocations.PostOcspAsync(_server.PlainHttp(), await File.ReadAllBytesAsync(_openssl.PathOf("foreign.req")));

        Assert.Equal(new byte[] { 0x30, 0x03, 0x0a, 0x01, 0x06 }, response);
    }
}
