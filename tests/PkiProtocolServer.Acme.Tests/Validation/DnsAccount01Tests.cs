using PkiProtocolServer.Acme.Validation;

namespace PkiProtocolServer.Acme.Tests.Validation;

/// <summary>dns-account-01 (draft-ietf-acme-dns-account-label) through the real host, with <c>Pki:Acme:DnsAccount01Enabled</c> on.</summary>
public sealed class DnsAccount01Tests : IClassFixture<CaaServerFixture>
{
    private readonly CaaServerFixture _fixture;

    public DnsAccount01Tests(CaaServerFixture fixture)
    {
        _fixture = fixture;
    }

    private static string Str(JsonNode node, string name) => node[name]!.GetValue<string>();

    [Fact]
    public async Task The_record_at_the_account_label_validates_a_wildcard_and_the_certificate_is_issued()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (orderUrl, authorizationUrl, challenge) = await CaaServerFixture.OrderAsync(client, "*.acct.example.org", "dns-account-01");
        _fixture.Dns.Publish(DnsAccount01Validator.RecordName(client.Kid!, "acct.example.org"), CaaServerFixture.TxtValue(client, challenge));

        (await client.PostAsync(Str(challenge, "url"), new JsonObject())).Expect(HttpStatusCode.OK);
        var authorization = await client.PollAsync(authorizationUrl, a => Str(a, "status") != "pending");

        Assert.Equal("valid", Str(authorization, "status"));
        var finalized = (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("*.acct.example.org") })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("valid", Str(finalized, "status"));
    }

    [Fact]
    public async Task A_dns01_record_or_another_accounts_label_does_not_satisfy_dns_account_01()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (_, authorizationUrl, challenge) = await CaaServerFixture.OrderAsync(client, "label.example.org", "dns-account-01");
        _fixture.Dns.Publish("_acme-challenge.label.example.org", CaaServerFixture.TxtValue(client, challenge));
        _fixture.Dns.Publish(DnsAccount01Validator.RecordName(client.Kid + "-other", "label.example.org"), CaaServerFixture.TxtValue(client, challenge));

        (await client.PostAsync(Str(challenge, "url"), new JsonObject())).Expect(HttpStatusCode.OK);
        var authorization = await client.PollAsync(authorizationUrl, a => Str(a, "status") != "pending");

        Assert.Equal("invalid", Str(authorization, "status"));
        var error = authorization["challenges"]!.AsArray().Single(c => Str(c!, "type") == "dns-account-01")!["error"]!;
        Assert.Equal("urn:ietf:params:acme:error:dns", Str(error, "type"));
        Assert.Contains(DnsAccount01Validator.Label(client.Kid!), Str(error, "detail"));
    }

    [Fact]
    public async Task Orders_offer_dns_account_01_next_to_the_rfc_8555_challenges()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var created = (await client.NewOrderAsync(("dns", "offer.example.org"), ("dns", "*.offer.example.org"))).Expect(HttpStatusCode.Created).Json;

        var types = new List<List<string>>();
        foreach (var url in created["authorizations"]!.AsArray())
        {
            types.Add([.. (await client.GetAsync(url!.GetValue<string>())).Json["challenges"]!.AsArray().Select(c => Str(c!, "type"))]);
        }

        Assert.Contains(types, t => t.SequenceEqual(["http-01", "dns-01", "tls-alpn-01", "dns-account-01"]));
        Assert.Contains(types, t => t.SequenceEqual(["dns-01", "dns-account-01"]));
    }
}
