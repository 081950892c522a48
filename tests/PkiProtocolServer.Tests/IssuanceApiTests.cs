using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PkiProtocolServer.Tests;

/// <summary>Certificates under a role through the admin API, checked the way relying parties check them.</summary>
public sealed class IssuanceApiTests : IClassFixture<PkiServerFactory>, IAsyncLifetime, IDisposable
{
    private readonly PkiServerFactory _server;
    private readonly HttpClient _requester;
    private readonly Openssl _openssl = new();
    private string _rootPem = string.Empty;

    public IssuanceApiTests(PkiServerFactory server)
    {
        _server = server;
        _requester = server.Https("requester");
    }

    public async Task InitializeAsync()
    {
        var agent = _server.Https("agent");
        await agent.PutJson("/api/v1/roles/web", new { allowed_domains = new[] { "example.com" }, allow_subdomains = true, allow_bare_domains = true, ttl = "24h", max_ttl = "72h" }).Ok();
        await agent.PutJson("/api/v1/roles/ephemeral", new { allowed_domains = new[] { "example.com" }, allow_subdomains = true, no_store = true, ttl = "1h" }).Ok();
        _rootPem = Chains.Split(await _server.Https().GetStringAsync("/ca-chain.pem"))[^1];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _openssl.Dispose();

    [Fact]
    public async Task A_dotnet_csr_is_signed_into_a_chain_that_x509chain_and_openssl_both_validate()
    {
        var signed = await _requester.PostJson("/api/v1/sign/web", new { csr = Csrs.Ec("www.example.com", "www.example.com", "example.com") }).Ok();
        var chain = signed.Strings("ca_chain");
        Assert.Equal(2, chain.Count);
        Assert.Equal(signed.Str("issuing_ca"), chain[0]);
        Assert.Equal(_rootPem.Trim(), chain[^1].Trim());

        Chains.AssertValid(signed.Str("certificate"), chain, _rootPem);
        _openssl.Verify(_rootPem, chain.Take(chain.Count - 1), signed.Str("certificate"), "-purpose", "sslserver", "-verify_hostname", "www.example.com");

        using var leaf = Chains.Load(signed.Str("certificate"));
        Assert.Equal("CN=www.example.com", leaf.Subject);
        var sans = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ToList();
        Assert.Equal(["example.com", "www.example.com"], sans.Order().ToArray());
        var serial = leaf.SerialNumber.ToLowerInvariant();
        Assert.Equal(signed.Str("serial_number"), serial.StartsWith("00", StringComparison.Ordinal) ? serial[2..] : serial);
        Assert.InRange(leaf.NotAfter.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromHours(23), TimeSpan.FromHours(24.1));
        Assert.True(signed["stored"]!.GetValue<bool>());
        Assert.Null(signed["private_key"]);
    }

    [Fact]
    public async Task An_openssl_rsa_csr_is_signed_and_openssl_verifies_the_result()
    {
        var csr = _openssl.RsaCsr("api.example.com");
        var signed = await _requester.PostJson("/api/v1/sign/web", new { csr, ttl = "2h" }).Ok();
        _openssl.Verify(_rootPem, signed.Strings("ca_chain").SkipLast(1), signed.Str("certificate"), "-purpose", "sslserver", "-verify_hostname", "api.example.com");
        Chains.AssertValid(signed.Str("certificate"), signed.Strings("ca_chain"), _rootPem);
        using var leaf = Chains.Load(signed.Str("certificate"));
        Assert.Equal(2048, leaf.GetRSAPublicKey()!.KeySize);
        Assert.InRange(leaf.NotAfter.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromMinutes(110), TimeSpan.FromMinutes(121));
    }

    [Fact]
    public async Task A_csr_in_bare_base64_der_is_accepted_too()
    {
        var pem = Csrs.Ec("b64.example.com");
        var base64 = string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        await _requester.PostJson("/api/v1/sign/web", new { csr = base64 }).Ok();
    }

    [Theory]
    [InlineData("ec", 0)]
    [InlineData("ec", 384)]
    [InlineData("rsa", 2048)]
    [InlineData("ed25519", 0)]
    public async Task Issue_returns_a_private_key_that_matches_the_certificate(string keyType, int keyBits)
    {
        var issued = await _requester.PostJson("/api/v1/issue/web", new { common_name = "svc.example.com", alt_names = new[] { "svc2.example.com" }, key_type = keyType, key_bits = keyBits }).Ok();
        Assert.Equal(keyType, issued.Str("private_key_type"));
        var keyPem = issued.Str("private_key");
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", keyPem);

        var certificatePublic = _openssl.RunOk("x509", "-in", _openssl.File("cert.pem", issued.Str("certificate")), "-noout", "-pubkey");
        var keyPublic = _openssl.RunOk("pkey", "-in", _openssl.File("key.pem", keyPem), "-pubout");
        Assert.Equal(certificatePublic.Trim(), keyPublic.Trim());
        _openssl.Verify(_rootPem, issued.Strings("ca_chain").SkipLast(1), issued.Str("certificate"), "-verify_hostname", "svc2.example.com");

        if (keyType != "ed25519")
        {
            using var withKey = X509Certificate2.CreateFromPem(issued.Str("certificate"), keyPem);
            Assert.True(withKey.HasPrivateKey);
            var data = RandomNumberGenerator.GetBytes(32);
            if (keyType == "rsa")
            {
                using var rsa = withKey.GetRSAPrivateKey()!;
                Assert.True(withKey.GetRSAPublicKey()!.VerifyData(data, rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            }
            else
            {
                using var ec = withKey.GetECDsaPrivateKey()!;
                Assert.True(withKey.GetECDsaPublicKey()!.VerifyData(data, ec.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
            }
        }
    }

    [Fact]
    public async Task A_name_outside_the_role_is_refused_with_a_subproblem_naming_the_rule_and_the_name()
    {
        var problem = await Problem.AssertAsync(
            _requester.PostJson("/api/v1/sign/web", new { csr = Csrs.Ec("www.example.com", "www.example.com", "evil.example.net") }),
            HttpStatusCode.BadRequest,
            "policy-refused");
        var subproblem = Assert.Single(problem["subproblems"]!.AsArray())!;
        Assert.Equal("allowed_domains", subproblem.Str("rule"));
        Assert.Equal("evil.example.net", subproblem.Str("value"));
        Assert.Contains("evil.example.net", problem.Str("detail"));

        var several = await Problem.AssertAsync(
            _requester.PostJson("/api/v1/issue/web", new { common_name = "localhost", alt_names = new[] { "*.example.com" }, ip_sans = new[] { "10.0.0.1" } }),
            HttpStatusCode.BadRequest,
            "policy-refused");
        var rules = several["subproblems"]!.AsArray().Select(s => s!).Select(s => (s.Str("rule"), s.Str("value"))).ToList();
        Assert.Contains(("allow_localhost", "localhost"), rules);
        Assert.Contains(("allow_wildcard_certificates", "*.example.com"), rules);
        Assert.Contains(("allow_ip_sans", "10.0.0.1"), rules);
    }

    [Fact]
    public async Task A_ttl_beyond_the_role_max_ttl_is_refused()
    {
        var problem = await Problem.AssertAsync(_requester.PostJson("/api/v1/issue/web", new { common_name = "a.example.com", ttl = "100h" }), HttpStatusCode.BadRequest, "policy-refused");
        Assert.Equal("max_ttl", Assert.Single(problem["subproblems"]!.AsArray())!.Str("rule"));
    }

    [Fact]
    public async Task A_no_store_role_issues_but_keeps_no_record()
    {
        var issued = await _requester.PostJson("/api/v1/issue/ephemeral", new { common_name = "job.example.com" }).Ok();
        Assert.False(issued["stored"]!.GetValue<bool>());
        await Problem.AssertAsync(_server.Https().GetAsync($"/api/v1/certs/{issued.Str("serial_number")}"), HttpStatusCode.NotFound, "not-found");
        Assert.DoesNotContain(issued.Str("serial_number"), await ListSerialsAsync());
        _openssl.Verify(_rootPem, issued.Strings("ca_chain").SkipLast(1), issued.Str("certificate"));
    }

    [Fact]
    public async Task A_stored_certificate_is_listed_and_the_list_pages()
    {
        var serials = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            serials.Add((await _requester.PostJson("/api/v1/issue/web", new { common_name = $"list{i}.example.com" }).Ok()).Str("serial_number"));
        }

        var listed = await ListSerialsAsync(pageSize: 2);
        Assert.Superset(serials.ToHashSet(), listed.ToHashSet());
        Assert.Equal(listed.Count, listed.Distinct().Count());

        var page = await _requester.GetAsync("/api/v1/certs?limit=1").Ok();
        var entry = Assert.Single(page["certificates"]!.AsArray())!;
        Assert.False(string.IsNullOrEmpty(entry.Str("serial_number")));
        Assert.False(string.IsNullOrEmpty(entry.Str("issuer_id")));
        Assert.Equal(entry.Str("serial_number"), page.Str("next_after"));
    }

    [Fact]
    public async Task The_unchanged_role_is_readable_as_written()
    {
        var role = (await _requester.GetAsync("/api/v1/roles/web").Ok())["role"]!;
        Assert.Equal(["example.com"], role.Strings("allowed_domains"));
        Assert.True(role["allow_subdomains"]!.GetValue<bool>());
        Assert.Equal("1d", role.Str("ttl"));
        Assert.Equal("3d", role.Str("max_ttl"));
        Assert.Equal("default", role.Str("issuer_ref"));
    }

    private async Task<List<string>> ListSerialsAsync(int pageSize = 1000)
    {
        var serials = new List<string>();
        string? after = null;
        do
        {
            var page = await _requester.GetAsync($"/api/v1/certs?limit={pageSize}" + (after is null ? string.Empty : "&after=" + after)).Ok();
            serials.AddRange(page["certificates"]!.AsArray().Select(c => c!.Str("serial_number")));
            after = page["next_after"]?.GetValue<string>();
        }
        while (after is not null);
        return serials;
    }
}
