namespace PkiProtocolServer.Acme.Tests.Protocol;

/// <summary>RFC 9773 5: <c>replaces</c> in newOrder names the account's certificate being renewed; one order replaces it.</summary>
public sealed class ReplacesTests : IClassFixture<AcmeServerFixture>
{
    private readonly AcmeServerFixture _fixture;

    public ReplacesTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task A_replacement_order_echoes_replaces_and_once_valid_the_certificate_cannot_be_replaced_again()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (original, _) = await _fixture.IssueAsync(client, null, "renew.example.org");
        var certId = RenewalTestSupport.CertId(original);

        var (_, replacement) = await _fixture.IssueAsync(client, new JsonObject { ["replaces"] = certId }, "renew.example.org", "www.renew.example.org");
        var again = await NewOrderAsync(client, certId, "renew.example.org");

        Assert.Equal("valid", replacement["status"]!.GetValue<string>());
        Assert.Equal(certId, replacement["replaces"]!.GetValue<string>());
        again.ExpectProblem(HttpStatusCode.Conflict, "alreadyReplaced");
    }

    [Fact]
    public async Task An_order_in_progress_holds_the_claim_against_a_second_one()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (original, _) = await _fixture.IssueAsync(client, null, "race.example.org");
        var certId = RenewalTestSupport.CertId(original);

        var first = (await NewOrderAsync(client, certId, "race.example.org")).Expect(HttpStatusCode.Created);
        var second = await NewOrderAsync(client, certId, "race.example.org");

        Assert.Equal(certId, first.Json["replaces"]!.GetValue<string>());
        // The account's authorization is reused: the first order is ready, not finalized, and already holds the claim.
        Assert.Equal("ready", first.Json["status"]!.GetValue<string>());
        second.ExpectProblem(HttpStatusCode.Conflict, "alreadyReplaced");
    }

    [Fact]
    public async Task Racing_replacement_orders_get_one_claim()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (original, _) = await _fixture.IssueAsync(client, null, "racing.example.org");
        var certId = RenewalTestSupport.CertId(original);
        using var other = _fixture.Server.AcmeClient(client.Key);
        other.Kid = client.Kid;
        await other.LoadDirectoryAsync();

        var results = await Task.WhenAll(NewOrderAsync(client, certId, "racing.example.org"), NewOrderAsync(other, certId, "racing.example.org"));

        Assert.Single(results, r => r.Status == HttpStatusCode.Created);
        Assert.Single(results, r => r.Status == HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Another_accounts_certificate_cannot_be_replaced()
    {
        using var owner = await _fixture.RegisteredClientAsync();
        using var other = await _fixture.RegisteredClientAsync();
        var (original, _) = await _fixture.IssueAsync(owner, null, "theirs.example.org");

        (await NewOrderAsync(other, RenewalTestSupport.CertId(original), "theirs.example.org")).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
    }

    [Fact]
    public async Task A_replacement_sharing_no_identifier_is_malformed()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (original, _) = await _fixture.IssueAsync(client, null, "one.example.org");

        (await NewOrderAsync(client, RenewalTestSupport.CertId(original), "two.example.org")).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Theory]
    [InlineData("\"not-a-cert-id\"")]
    [InlineData("\"AQ.AQIDBAUGBwgJ\"")]
    [InlineData("42")]
    public async Task A_replaces_that_is_no_certId_of_ours_is_malformed(string replaces)
    {
        using var client = await _fixture.RegisteredClientAsync();
        var payload = new JsonObject
        {
            ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "dns", ["value"] = "bad.example.org" }),
            ["replaces"] = JsonNode.Parse(replaces),
        };

        (await client.PostAsync(client.Url("newOrder"), payload)).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    private static Task<AcmeResponse> NewOrderAsync(AcmeTestClient client, string certId, params string[] names) =>
        client.PostAsync(client.Url("newOrder"), new JsonObject
        {
            ["identifiers"] = new JsonArray(names.Select(n => (JsonNode)new JsonObject { ["type"] = "dns", ["value"] = n }).ToArray()),
            ["replaces"] = certId,
        });
}
