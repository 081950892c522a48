using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PkiProtocolServer.Acme.Tests.Protocol;

/// <summary>RFC 8555 7.6: revokeCert by the ordering account, by an account with authorizations for every name, or by the certificate's key.</summary>
public sealed class RevokeCertTests : IClassFixture<AcmeServerFixture>
{
    private readonly AcmeServerFixture _fixture;

    public RevokeCertTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task The_owning_account_revokes_and_the_revocation_is_recorded_before_the_200()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var certificate = await IssueAsync(client, "owner.example.org");

        var revoked = (await client.PostAsync(client.Url("revokeCert"), Payload(certificate, reason: 1))).Expect(HttpStatusCode.OK);

        revoked.AssertCommonHeaders();
        var record = await RevocationOfAsync(certificate);
        Assert.Equal("revoked", record["state"]!.GetValue<string>());
        Assert.Equal(1, record["reason_code"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_certificate_key_revokes_with_a_jwk_request()
    {
        using var client = await _fixture.RegisteredClientAsync();
        using var certificateKey = TestKey.Es256();
        var certificate = await IssueAsync(client, "by-key.example.org", Csrs.Build(certificateKey.CertificateRequestWithThisKey("CN=by-key.example.org"), "by-key.example.org"));
        using var stranger = _fixture.Server.AcmeClient(certificateKey);
        await stranger.LoadDirectoryAsync();

        (await stranger.PostAsync(stranger.Url("revokeCert"), Payload(certificate), forceJwk: true)).Expect(HttpStatusCode.OK);

        Assert.Equal(0, (await RevocationOfAsync(certificate))["reason_code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Another_account_or_another_key_is_unauthorized_and_learns_nothing()
    {
        using var owner = await _fixture.RegisteredClientAsync();
        using var other = await _fixture.RegisteredClientAsync();
        var certificate = await IssueAsync(owner, "not-yours.example.org");

        var problem = (await other.PostAsync(other.Url("revokeCert"), Payload(certificate))).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        var byJwk = (await other.PostAsync(other.Url("revokeCert"), Payload(certificate), key: TestKey.Es256(), forceJwk: true)).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");

        foreach (var text in new[] { problem.ToJsonString(), byJwk.ToJsonString() })
        {
            Assert.DoesNotContain("not-yours.example.org", text);
            Assert.DoesNotContain(Serial(certificate), text);
        }

        using var http = Anonymous();
        var response = await http.GetAsync($"/api/v1/revoked/{Serial(certificate)}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task An_account_holding_valid_authorizations_for_every_name_may_revoke()
    {
        using var owner = await _fixture.RegisteredClientAsync();
        using var holder = await _fixture.RegisteredClientAsync();
        var certificate = await IssueAsync(owner, "shared.example.org");
        await _fixture.ReadyOrderAsync(holder, "shared.example.org");

        (await holder.PostAsync(holder.Url("revokeCert"), Payload(certificate, reason: 4))).Expect(HttpStatusCode.OK);

        Assert.Equal("superseded", (await RevocationOfAsync(certificate))["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revoking_twice_is_alreadyRevoked()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var certificate = await IssueAsync(client, "twice.example.org");
        (await client.PostAsync(client.Url("revokeCert"), Payload(certificate))).Expect(HttpStatusCode.OK);

        (await client.PostAsync(client.Url("revokeCert"), Payload(certificate, reason: 1))).ExpectProblem(HttpStatusCode.BadRequest, "alreadyRevoked");

        Assert.Equal(0, (await RevocationOfAsync(certificate))["reason_code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("6")]
    [InlineData("7")]
    [InlineData("8")]
    [InlineData("11")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"keyCompromise\"")]
    public async Task A_reason_outside_the_accepted_codes_is_badRevocationReason(string reason)
    {
        using var client = await _fixture.RegisteredClientAsync();
        var certificate = await IssueAsync(client, "reason.example.org");
        var payload = Payload(certificate);
        payload["reason"] = JsonNode.Parse(reason);

        (await client.PostAsync(client.Url("revokeCert"), payload)).ExpectProblem(HttpStatusCode.BadRequest, "badRevocationReason");

        using var http = Anonymous();
        var response = await http.GetAsync($"/api/v1/revoked/{Serial(certificate)}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64url!")]
    [InlineData("AA")]
    [InlineData("MIIBCgKCAQEA")]
    public async Task A_missing_or_garbage_certificate_is_malformed(string? certificate)
    {
        using var client = await _fixture.RegisteredClientAsync();
        var payload = new JsonObject();
        if (certificate is not null)
        {
            payload["certificate"] = certificate;
        }

        (await client.PostAsync(client.Url("revokeCert"), payload)).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
        (await client.PostAsync(client.Url("revokeCert"), new JsonObject { ["certificate"] = 42 })).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task A_certificate_of_another_ca_signed_with_its_own_key_is_malformed()
    {
        using var key = TestKey.Es256();
        var request = key.CertificateRequestWithThisKey("CN=foreign.example.org");
        var (_, der) = SelfSigned(request);
        using var client = _fixture.Server.AcmeClient(key);
        await client.LoadDirectoryAsync();

        var problem = (await client.PostAsync(client.Url("revokeCert"), new JsonObject { ["certificate"] = TestKey.B64(der) }, forceJwk: true)).ExpectProblem(HttpStatusCode.BadRequest, "malformed");

        Assert.Contains("not signed by an issuer of this server", problem["detail"]!.GetValue<string>());
    }

    private static (X509Certificate2 Certificate, byte[] Der) SelfSigned(CertificateRequest request)
    {
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate, certificate.RawData);
    }

    private async Task<X509Certificate2> IssueAsync(AcmeTestClient client, string name, string? csr = null)
    {
        var (orderUrl, _) = await _fixture.ReadyOrderAsync(client, name);
        var order = (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = csr ?? Csrs.For(name) })).Expect(HttpStatusCode.OK).Json;
        var chain = (await client.GetAsync(order["certificate"]!.GetValue<string>())).Expect(HttpStatusCode.OK).Body;
        return Chains.Load(Chains.Split(chain)[0]);
    }

    private static JsonObject Payload(X509Certificate2 certificate, int? reason = null)
    {
        var payload = new JsonObject { ["certificate"] = TestKey.B64(certificate.RawData) };
        if (reason is { } code)
        {
            payload["reason"] = code;
        }

        return payload;
    }

    private static string Serial(X509Certificate2 certificate) => certificate.SerialNumber.TrimStart('0').ToLowerInvariant();

    /// <summary>The public revocation lookup (HTTPS, no token).</summary>
    private HttpClient Anonymous() => _fixture.Server.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });

    private async Task<JsonNode> RevocationOfAsync(X509Certificate2 certificate)
    {
        using var http = Anonymous();
        var response = await http.GetAsync($"/api/v1/revoked/{Serial(certificate)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
