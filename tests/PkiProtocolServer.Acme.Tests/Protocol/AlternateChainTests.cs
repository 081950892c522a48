using System.Text;

namespace PkiProtocolServer.Acme.Tests.Protocol;

/// <summary>RFC 8555 7.4.2: a certificate whose issuing CA is cross-signed offers the other chain as <c>rel="alternate"</c>.</summary>
public sealed class AlternateChainTests : IClassFixture<AcmeServerFixture>
{
    private readonly AcmeServerFixture _fixture;

    public AlternateChainTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    private static async Task<JsonNode> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsync(path, new StringContent(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task Download_links_the_chain_through_a_cross_signing_root_and_serves_it()
    {
        // The operator cross-signs the default issuer (dev-intermediate) with a second root.
        using var admin = _fixture.Server.Operator();
        await PostAsync(admin, "/api/v1/issuers/generate/root", new { name = "root-b", common_name = "Second Root" });
        var csr = await PostAsync(admin, "/api/v1/issuers/dev-intermediate/csr", new { });
        var crossSigned = await PostAsync(admin, "/api/v1/issuers/root-b/sign-intermediate", new { csr = csr["csr"]!.GetValue<string>(), ttl = "365d", max_path_length = 0 });
        await PostAsync(admin, "/api/v1/intermediate/set-signed", new { pem_bundle = crossSigned["certificate"]!.GetValue<string>(), name = "dev-intermediate-by-b" });
        var rootBPem = await admin.GetStringAsync("/api/v1/issuers/root-b/pem");

        using var client = await _fixture.RegisteredClientAsync();
        var (orderUrl, _) = await _fixture.ReadyOrderAsync(client, "alt.example.org");
        var certificateUrl = (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("alt.example.org") })).Expect(HttpStatusCode.OK).Json["certificate"]!.GetValue<string>();

        var primary = (await client.GetAsync(certificateUrl)).Expect(HttpStatusCode.OK);
        var alternateUrl = Assert.Single(primary.LinksWithRelation("alternate"));
        var alternate = (await client.GetAsync(alternateUrl)).Expect(HttpStatusCode.OK);

        var primaryPems = Chains.Split(primary.Body);
        var alternatePems = Chains.Split(alternate.Body);
        Chains.AssertValid(primaryPems[0], primaryPems[1..], _fixture.Server.RootPem);
        Chains.AssertValid(alternatePems[0], alternatePems[1..], rootBPem);
        Assert.Equal(primaryPems[0], alternatePems[0]);
        Assert.Equal([certificateUrl], alternate.LinksWithRelation("alternate"));
        Assert.Equal("application/pem-certificate-chain", alternate.ContentType);
    }
}
