using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace PkiProtocolServer.Tests;

/// <summary>What relying parties and anyone else may read without a token (Vault's "Unauthed" column).</summary>
public sealed class PublicReadTests : IClassFixture<PkiServerFactory>
{
    private readonly PkiServerFactory _server;
    private readonly HttpClient _anonymous;

    public PublicReadTests(PkiServerFactory server)
    {
        _server = server;
        _anonymous = server.Https();
    }

    [Fact]
    public async Task Ca_pem_is_the_default_issuer_the_development_intermediate()
    {
        using var response = await _anonymous.GetAsync("/ca.pem");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-pem-file", response.ContentType()?.MediaType);
        using var certificate = X509Certificate2.CreateFromPem(await response.Content.ReadAsStringAsync());
        var defaultIssuer = await _anonymous.GetAsync("/api/v1/issuers/default").Ok();
        Assert.Equal("dev-intermediate", defaultIssuer.Str("issuer_name"));
        using var expected = X509Certificate2.CreateFromPem(defaultIssuer.Str("certificate"));
        Assert.Equal(expected.Thumbprint, certificate.Thumbprint);
        Assert.Contains("Development Intermediate", certificate.Subject);
    }

    [Fact]
    public async Task Ca_der_is_the_same_certificate_as_ca_pem_in_der()
    {
        using var response = await _anonymous.GetAsync("/ca.der");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pkix-cert", response.ContentType()?.MediaType);
        using var der = X509CertificateLoader.LoadCertificate(await response.Content.ReadAsByteArrayAsync());
        using var pem = X509Certificate2.CreateFromPem(await _anonymous.GetStringAsync("/ca.pem"));
        Assert.Equal(pem.Thumbprint, der.Thumbprint);
    }

    [Fact]
    public async Task Ca_chain_pem_runs_from_the_default_issuer_up_to_the_self_signed_root()
    {
        var chain = Chains.Split(await _anonymous.GetStringAsync("/ca-chain.pem"));
        Assert.Equal(2, chain.Count);
        using var intermediate = Chains.Load(chain[0]);
        using var root = Chains.Load(chain[1]);
        Assert.Equal(intermediate.Issuer, root.Subject);
        Assert.Equal(root.Subject, root.Issuer);
        Assert.Contains("Development Root", root.Subject);
    }

    [Fact]
    public async Task Every_issuer_certificate_is_served_as_der_at_its_aia_address()
    {
        var issuers = (await _anonymous.GetAsync("/api/v1/issuers").Ok())["issuers"]!.AsArray();
        Assert.Equal(["dev-intermediate", "dev-root"], issuers.Select(i => i!.Str("issuer_name")).Order().ToArray());
        foreach (var issuer in issuers.Select(i => i!))
        {
            using var response = await _anonymous.GetAsync($"/issuers/{issuer.Str("issuer_id")}.der");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pkix-cert", response.ContentType()?.MediaType);
            using var certificate = X509CertificateLoader.LoadCertificate(await response.Content.ReadAsByteArrayAsync());
            using var listed = X509Certificate2.CreateFromPem(issuer.Str("certificate"));
            Assert.Equal(listed.Thumbprint, certificate.Thumbprint);
        }
    }

    [Fact]
    public async Task Issuer_certificate_urls_in_pem_and_from_the_api_need_no_token()
    {
        var root = await _anonymous.GetAsync("/api/v1/issuers/dev-root").Ok();
        var id = root.Str("issuer_id");
        Assert.Equal(id, (await _anonymous.GetAsync($"/api/v1/issuers/{id}").Ok()).Str("issuer_id"));
        Assert.False(string.IsNullOrEmpty(root.Str("key_id")));
        Assert.True(root["self_signed"]!.GetValue<bool>());
        Assert.Single(root.Strings("ca_chain"));
        using var pem = await _anonymous.GetAsync($"/issuers/{id}.pem");
        Assert.Equal(HttpStatusCode.OK, pem.StatusCode);
        using var apiPem = await _anonymous.GetAsync($"/api/v1/issuers/{id}/pem");
        Assert.Equal(HttpStatusCode.OK, apiPem.StatusCode);
        using var apiDer = await _anonymous.GetAsync($"/api/v1/issuers/{id}/der");
        Assert.Equal(HttpStatusCode.OK, apiDer.StatusCode);
    }

    [Fact]
    public async Task An_issued_certificate_is_readable_by_serial_without_a_token()
    {
        var issued = await _server.Https("requester").PostJson("/api/v1/issue/server-tls", new { common_name = "localhost" }).Ok();
        var serial = issued.Str("serial_number");

        var record = await _anonymous.GetAsync($"/api/v1/certs/{serial}").Ok();
        Assert.Equal(serial, record.Str("serial_number"));
        Assert.Equal("server-tls", record.Str("role"));
        Assert.Null(record["private_key"]);
        using var fromRecord = X509Certificate2.CreateFromPem(record.Str("certificate"));
        using var fromIssue = X509Certificate2.CreateFromPem(issued.Str("certificate"));
        Assert.Equal(fromIssue.Thumbprint, fromRecord.Thumbprint);

        // Operators paste serials with colons and capitals.
        var colons = string.Join(':', Convert.FromHexString(serial.Length % 2 == 0 ? serial : "0" + serial).Select(b => b.ToString("X2")));
        Assert.Equal(serial, (await _anonymous.GetAsync($"/api/v1/certs/{colons}").Ok()).Str("serial_number"));

        using var der = await _anonymous.GetAsync($"/api/v1/certs/{serial}/der");
        Assert.Equal(fromIssue.RawData, await der.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_openapi_document_is_public_json_describing_the_admin_paths()
    {
        using var response = await _anonymous.GetAsync("/api/v1/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        Assert.Equal(JsonValueKind.Object, paths.ValueKind);
        var names = paths.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/sign/{role}", names);
        Assert.Contains("/api/v1/issuers/generate/root", names);
    }

    [Fact]
    public async Task Health_answers_without_a_token()
    {
        Assert.Equal("ok", (await _anonymous.GetAsync("/healthz").Ok()).Str("status"));
        Assert.Equal("ready", (await _anonymous.GetAsync("/readyz").Ok()).Str("status"));
    }
}
