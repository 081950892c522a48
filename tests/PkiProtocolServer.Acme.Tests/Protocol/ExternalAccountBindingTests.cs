using System.Text;

namespace PkiProtocolServer.Acme.Tests.Protocol;

/// <summary>RFC 8555 7.3.4 on a directory that requires External Account Binding, with keys from the admin API.</summary>
public sealed class ExternalAccountBindingTests : IClassFixture<AcmeServerFixture>
{
    private const string Directory = "/acme/eab/directory";
    private readonly AcmeServerFixture _fixture;

    public ExternalAccountBindingTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    private async Task<AcmeTestClient> ClientAsync()
    {
        var client = _fixture.Server.AcmeClient(directoryPath: Directory);
        await client.LoadDirectoryAsync();
        return client;
    }

    private static JsonObject Payload(JsonObject binding) => new() { ["termsOfServiceAgreed"] = true, ["externalAccountBinding"] = binding };

    [Fact]
    public async Task The_directory_says_external_accounts_are_required_and_an_account_without_one_is_refused()
    {
        using var client = await ClientAsync();

        Assert.True(client.Directory!["meta"]!["externalAccountRequired"]!.GetValue<bool>());
        (await client.RegisterAsync()).ExpectProblem(HttpStatusCode.BadRequest, "externalAccountRequired");
    }

    [Fact]
    public async Task A_valid_binding_creates_the_account_and_binds_the_key_once()
    {
        var (id, hmac) = await _fixture.Server.CreateEabKeyAsync("eab");
        using var client = await ClientAsync();
        using var second = await ClientAsync();

        var created = (await client.RegisterAsync(Payload(TestJws.ExternalAccountBinding(id, hmac, client.Key, client.Url("newAccount"))))).Expect(HttpStatusCode.Created);
        var reused = await second.RegisterAsync(Payload(TestJws.ExternalAccountBinding(id, hmac, second.Key, second.Url("newAccount"))));

        Assert.Equal(id, created.Json["externalAccountBinding"]!["kid"]!.GetValue<string>());
        reused.ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        using var agent = _fixture.Server.Agent();
        var listed = JsonNode.Parse(await agent.GetStringAsync("/api/v1/acme/eab-keys?directory=eab"))!["keys"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == id)!;
        Assert.Equal(created.Location!.Split('/')[^1], listed["bound_account"]!.GetValue<string>());
        Assert.Null(listed["hmac_key"]);
    }

    [Fact]
    public async Task A_binding_with_a_wrong_mac_is_unauthorized_and_leaves_the_key_usable()
    {
        var (id, hmac) = await _fixture.Server.CreateEabKeyAsync("eab");
        using var client = await ClientAsync();
        var wrong = hmac.ToArray();
        wrong[0] ^= 0xff;

        (await client.RegisterAsync(Payload(TestJws.ExternalAccountBinding(id, wrong, client.Key, client.Url("newAccount"))))).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        (await client.RegisterAsync(Payload(TestJws.ExternalAccountBinding(id, hmac, client.Key, client.Url("newAccount"))))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_binding_of_another_key_for_another_url_or_from_another_directory_is_unauthorized()
    {
        var (id, hmac) = await _fixture.Server.CreateEabKeyAsync("eab");
        var (defaultId, defaultHmac) = await _fixture.Server.CreateEabKeyAsync();
        using var client = await ClientAsync();
        using var otherKey = TestKey.Es256();

        (await client.RegisterAsync(Payload(TestJws.ExternalAccountBinding(id, hmac, otherKey, client.Url("newAccount"))))).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        (await client.RegisterAsync(Payload(TestJws.ExternalAccountBinding(id, hmac, client.Key, client.Url("newOrder"))))).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        (await client.RegisterAsync(Payload(TestJws.ExternalAccountBinding(defaultId, defaultHmac, client.Key, client.Url("newAccount"))))).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        (await client.RegisterAsync(Payload(TestJws.ExternalAccountBinding("eab-unknown", hmac, client.Key, client.Url("newAccount"))))).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
    }

    [Fact]
    public async Task A_binding_that_is_not_a_mac_or_carries_a_nonce_is_malformed()
    {
        var (id, hmac) = await _fixture.Server.CreateEabKeyAsync("eab");
        using var client = await ClientAsync();
        var signed = TestJws.Sign(client.Key, new JsonObject { ["alg"] = client.Key.Alg, ["kid"] = id, ["url"] = client.Url("newAccount") }, client.Key.Jwk());
        var withNonce = TestJws.ExternalAccountBinding(id, hmac, client.Key, client.Url("newAccount"));
        var header = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Pad(withNonce["protected"]!.GetValue<string>()))))!.AsObject();
        header["nonce"] = "abc";
        withNonce["protected"] = TestKey.B64(Encoding.UTF8.GetBytes(header.ToJsonString()));

        (await client.RegisterAsync(Payload(signed))).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
        (await client.RegisterAsync(Payload(withNonce))).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task A_deleted_key_binds_nothing()
    {
        var (id, hmac) = await _fixture.Server.CreateEabKeyAsync("eab");
        using var agent = _fixture.Server.Agent();
        Assert.Equal(HttpStatusCode.NoContent, (await agent.DeleteAsync("/api/v1/acme/eab-keys/" + id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.DeleteAsync("/api/v1/acme/eab-keys/" + id)).StatusCode);
        using var client = await ClientAsync();

        (await client.RegisterAsync(Payload(TestJws.ExternalAccountBinding(id, hmac, client.Key, client.Url("newAccount"))))).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
    }

    [Fact]
    public async Task Eab_keys_are_for_agents_and_only_for_existing_directories()
    {
        using var anonymous = _fixture.Server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        using var agent = _fixture.Server.Agent();

        var noToken = await anonymous.PostAsync("/api/v1/acme/eab-keys", new StringContent("{}", Encoding.UTF8, "application/json"));
        var unknownDirectory = await agent.PostAsync("/api/v1/acme/eab-keys", new StringContent("{\"directory\":\"nope\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownDirectory.StatusCode);
    }

    private static string Pad(string b64url) => b64url.Replace('-', '+').Replace('_', '/') + new string('=', (4 - b64url.Length % 4) % 4);
}
