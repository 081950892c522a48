namespace PkiProtocolServer.Tests;

/// <summary>Plain HTTP serves what relying parties fetch without TLS (CA certificates, CRLs, OCSP, health) and nothing else.</summary>
public sealed class PlainHttpGateTests : IClassFixture<PkiServerFactory>
{
    private readonly PkiServerFactory _server;

    public PlainHttpGateTests(PkiServerFactory server)
    {
        _server = server;
    }

    [Theory]
    [InlineData("GET", "/api/v1/issuers")]
    [InlineData("GET", "/api/v1/openapi.json")]
    [InlineData("GET", "/api/v1/roles")]
    [InlineData("POST", "/api/v1/issue/server-tls")]
    [InlineData("GET", "/api/v1/certs/01")]
    [InlineData("GET", "/anything-else")]
    public async Task The_admin_api_over_plain_http_is_a_404_https_only_problem(string method, string path)
    {
        foreach (var persona in new string?[] { null, "operator" })
        {
            using var response = await _server.PlainHttp(persona).Send(new HttpMethod(method), path, method == "POST" ? """{"common_name":"localhost"}""" : null);
            var problem = await Problem.AssertAsync(response, HttpStatusCode.NotFound, "https-only");
            Assert.Contains("HTTPS", problem.Str("detail"));
            Assert.Empty(response.Headers.WwwAuthenticate);
        }
    }

    [Fact]
    public async Task Ca_certificates_and_health_are_served_over_plain_http()
    {
        var http = _server.PlainHttp();
        Assert.Contains("BEGIN CERTIFICATE", await http.GetStringAsync("/ca.pem"));
        Assert.NotEmpty(await http.GetByteArrayAsync("/ca.der"));
        Assert.Equal(2, Chains.Split(await http.GetStringAsync("/ca-chain.pem")).Count);
        var issuers = (await _server.Https().GetAsync("/api/v1/issuers").Ok())["issuers"]!.AsArray();
        foreach (var id in issuers.Select(i => i!.Str("issuer_id")))
        {
            using var der = await http.GetAsync($"/issuers/{id}.der");
            Assert.Equal(HttpStatusCode.OK, der.StatusCode);
            using var pem = await http.GetAsync($"/issuers/{id}.pem");
            Assert.Equal(HttpStatusCode.OK, pem.StatusCode);
        }

        Assert.Equal("ok", (await http.GetAsync("/healthz").Ok()).Str("status"));
    }

    [Fact]
    public async Task The_aia_url_written_into_issued_certificates_is_a_plain_http_path_the_gate_lets_through()
    {
        var issued = await _server.Https("requester").PostJson("/api/v1/issue/server-tls", new { common_name = "localhost" }).Ok();
        using var leaf = Chains.Load(issued.Str("certificate"));
        var aia = leaf.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509AuthorityInformationAccessExtension>().Single();
        var url = new Uri(Assert.Single(aia.EnumerateCAIssuersUris()));
        Assert.Equal("http", url.Scheme);
        using var response = await _server.PlainHttp().GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var issuer = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(leaf.Issuer, issuer.Subject);
    }
}
