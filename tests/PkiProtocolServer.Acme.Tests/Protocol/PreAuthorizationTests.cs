using System.Text;

namespace PkiProtocolServer.Acme.Tests.Protocol;

/// <summary>
/// Pre-authorization (RFC 8555 7.4.1): newAuthz creates a pending authorization for one identifier, under the same
/// identifier rules and role policy as newOrder; once valid, a later newOrder of the same account reuses it.
/// </summary>
public sealed class PreAuthorizationTests : IClassFixture<AcmeServerFixture>
{
    private readonly AcmeServerFixture _fixture;

    public PreAuthorizationTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    private static string Str(JsonNode node, string name) => node[name]!.GetValue<string>();

    private static Task<AcmeResponse> NewAuthzAsync(AcmeTestClient client, string type, string value, JsonObject? extra = null)
    {
        var payload = extra ?? [];
        payload["identifier"] = new JsonObject { ["type"] = type, ["value"] = value };
        return client.PostAsync(client.Url("newAuthz"), payload);
    }

    [Fact]
    public async Task The_directory_names_newAuthz_and_it_creates_a_pending_authorization_with_its_location()
    {
        using var client = await _fixture.RegisteredClientAsync();
        Assert.EndsWith("/acme/new-authz", client.Url("newAuthz"));

        var created = (await NewAuthzAsync(client, "dns", "Pre.Example.org", new JsonObject { ["resource"] = "new-authz" })).Expect(HttpStatusCode.Created);

        Assert.Contains("/acme/authz/", created.Location);
        Assert.Equal("pending", Str(created.Json, "status"));
        Assert.Equal("pre.example.org", Str(created.Json["identifier"]!, "value"));
        Assert.Null(created.Json["wildcard"]);
        Assert.Equal(["http-01", "dns-01", "tls-alpn-01"], created.Json["challenges"]!.AsArray().Select(c => Str(c!, "type")));
        Assert.Equal("pending", Str((await client.GetAsync(created.Location!)).Expect(HttpStatusCode.OK).Json, "status"));
    }

    [Fact]
    public async Task A_wildcard_or_a_missing_identifier_is_malformed_and_a_bad_name_rejectedIdentifier()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await NewAuthzAsync(client, "dns", "*.example.org")).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
        (await client.PostAsync(client.Url("newAuthz"), new JsonObject { ["identifiers"] = new JsonArray() })).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
        (await NewAuthzAsync(client, "dns", "bad..example.org")).ExpectProblem(HttpStatusCode.BadRequest, "rejectedIdentifier");
        (await NewAuthzAsync(client, "email", "x@example.org")).ExpectProblem(HttpStatusCode.BadRequest, "unsupportedIdentifier");
    }

    [Fact]
    public async Task An_identifier_the_directory_role_refuses_is_rejectedIdentifier()
    {
        using var agent = _fixture.Server.Agent();
        var role = "{\"allowed_domains\":[\"example.org\"],\"allow_subdomains\":true,\"allow_ip_sans\":false}";
        var put = await agent.PutAsync("/api/v1/roles/acme-narrow", new StringContent(role, Encoding.UTF8, "application/json"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        using var client = await _fixture.RegisteredClientAsync(directoryPath: "/acme/narrow/directory");

        var problem = (await NewAuthzAsync(client, "dns", "evil.example.net")).ExpectProblem(HttpStatusCode.BadRequest, "rejectedIdentifier");

        Assert.Equal("evil.example.net", Str(problem["subproblems"]![0]!["identifier"]!, "value"));
        (await NewAuthzAsync(client, "dns", "fine.example.org")).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_pre_authorization_proven_with_dns01_is_reused_by_a_later_order_of_the_account_which_is_ready_at_once()
    {
        using var holder = await _fixture.RegisteredClientAsync();
        var created = (await NewAuthzAsync(holder, "dns", "split.example.org")).Expect(HttpStatusCode.Created);
        var challenge = created.Json["challenges"]!.AsArray().Single(c => Str(c!, "type") == "dns-01")!;
        var digest = System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(Str(challenge, "token") + "." + holder.Key.Thumbprint()));
        _fixture.Server.Dns.Publish("_acme-challenge.split.example.org", TestKey.B64(digest));
        (await holder.PostAsync(Str(challenge, "url"), new JsonObject())).Expect(HttpStatusCode.OK);
        Assert.Equal("valid", Str(await holder.PollAsync(created.Location!, a => Str(a, "status") != "pending"), "status"));

        // Another process with the same account key orders, without any DNS credentials.
        using var orderer = _fixture.Server.AcmeClient(holder.Key);
        (await orderer.RegisterAsync(new JsonObject { ["onlyReturnExisting"] = true })).Expect(HttpStatusCode.OK);
        var order = (await orderer.NewOrderAsync(("dns", "split.example.org"))).Expect(HttpStatusCode.Created).Json;

        Assert.Equal(created.Location, order["authorizations"]![0]!.GetValue<string>());
        Assert.Equal("ready", Str(order, "status"));
    }

    [Fact]
    public async Task Another_accounts_valid_pre_authorization_is_not_reused()
    {
        using var holder = await _fixture.RegisteredClientAsync();
        var created = (await NewAuthzAsync(holder, "dns", "mine-only.example.org")).Expect(HttpStatusCode.Created);
        Assert.Equal("valid", Str(await _fixture.ProveHttp01Async(holder, created.Location!), "status"));

        using var stranger = await _fixture.RegisteredClientAsync();
        var order = (await stranger.NewOrderAsync(("dns", "mine-only.example.org"))).Expect(HttpStatusCode.Created).Json;

        Assert.NotEqual(created.Location, order["authorizations"]![0]!.GetValue<string>());
        Assert.Equal("pending", Str(order, "status"));
    }
}
