namespace PkiProtocolServer.Acme.Tests.Protocol;

/// <summary>RFC 8555 7.3: newAccount, onlyReturnExisting, contacts, terms of service, update and deactivation.</summary>
public sealed class AccountTests : IClassFixture<AcmeServerFixture>
{
    private readonly AcmeServerFixture _fixture;

    public AccountTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task NewAccount_creates_an_account_with_its_url_and_the_same_key_gets_the_same_account_back()
    {
        using var client = _fixture.Server.AcmeClient();

        var created = (await client.RegisterAsync()).Expect(HttpStatusCode.Created);
        var again = (await client.RegisterAsync()).Expect(HttpStatusCode.OK);

        created.AssertCommonHeaders();
        Assert.StartsWith("https://localhost/acme/account/", created.Location);
        Assert.Equal(created.Location, again.Location);
        Assert.Equal("valid", created.Json["status"]!.GetValue<string>());
        Assert.Equal("mailto:test@example.org", created.Json["contact"]![0]!.GetValue<string>());
        Assert.Equal(created.Location + "/orders", created.Json["orders"]!.GetValue<string>());
    }

    [Fact]
    public async Task OnlyReturnExisting_finds_an_existing_account_and_never_creates_one()
    {
        using var stranger = _fixture.Server.AcmeClient();
        using var known = await _fixture.RegisteredClientAsync();

        (await stranger.RegisterAsync(new JsonObject { ["onlyReturnExisting"] = true })).ExpectProblem(HttpStatusCode.BadRequest, "accountDoesNotExist");
        var found = (await known.RegisterAsync(new JsonObject { ["onlyReturnExisting"] = true })).Expect(HttpStatusCode.OK);

        Assert.Equal(known.Kid, found.Location);
    }

    [Theory]
    [InlineData("tel:+15551234567", "unsupportedContact")]
    [InlineData("https://example.org/me", "unsupportedContact")]
    [InlineData("mailto:", "invalidContact")]
    [InlineData("mailto:a@example.org,b@example.org", "invalidContact")]
    [InlineData("mailto:a@example.org?subject=hi", "invalidContact")]
    [InlineData("mailto:not-an-address", "invalidContact")]
    [InlineData("mailto:a@-bad-.example", "invalidContact")]
    [InlineData("no scheme", "invalidContact")]
    public async Task A_contact_that_is_not_one_plain_mailto_address_is_refused(string contact, string type)
    {
        using var client = _fixture.Server.AcmeClient();

        (await client.RegisterAsync(new JsonObject { ["contact"] = new JsonArray(contact) })).ExpectProblem(HttpStatusCode.BadRequest, type);
    }

    [Fact]
    public async Task A_directory_with_terms_of_service_requires_agreeing_to_them()
    {
        using var refuses = _fixture.Server.AcmeClient(directoryPath: "/acme/tos/directory");
        using var agrees = _fixture.Server.AcmeClient(directoryPath: "/acme/tos/directory");

        (await refuses.RegisterAsync(new JsonObject { ["termsOfServiceAgreed"] = false })).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
        var created = (await agrees.RegisterAsync(new JsonObject { ["termsOfServiceAgreed"] = true })).Expect(HttpStatusCode.Created);

        Assert.StartsWith("https://localhost/acme/tos/account/", created.Location);
        Assert.True(created.Json["termsOfServiceAgreed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_account_updates_its_contacts()
    {
        using var client = await _fixture.RegisteredClientAsync();

        var updated = (await client.PostAsync(client.Kid!, new JsonObject { ["contact"] = new JsonArray("mailto:new@example.org") })).Expect(HttpStatusCode.OK);

        Assert.Equal("mailto:new@example.org", updated.Json["contact"]!.AsArray().Single()!.GetValue<string>());
        Assert.Equal("mailto:new@example.org", (await client.GetAsync(client.Kid!)).Json["contact"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_deactivated_account_can_do_nothing_more_and_its_key_cannot_register_again()
    {
        using var client = await _fixture.RegisteredClientAsync();

        var deactivated = (await client.PostAsync(client.Kid!, new JsonObject { ["status"] = "deactivated" })).Expect(HttpStatusCode.OK);

        Assert.Equal("deactivated", deactivated.Json["status"]!.GetValue<string>());
        (await client.GetAsync(client.Kid!)).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        (await client.NewOrderAsync(("dns", "after.example.org"))).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        (await client.RegisterAsync()).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
    }

    [Fact]
    public async Task An_account_status_other_than_deactivated_cannot_be_set()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostAsync(client.Kid!, new JsonObject { ["status"] = "revoked" })).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task An_account_cannot_read_or_change_another_account()
    {
        using var owner = await _fixture.RegisteredClientAsync();
        using var other = await _fixture.RegisteredClientAsync();

        (await other.GetAsync(owner.Kid!)).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        (await other.PostAsync(owner.Kid!, new JsonObject { ["status"] = "deactivated" })).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        (await other.GetAsync(owner.Kid + "/orders")).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        Assert.Equal("valid", (await owner.GetAsync(owner.Kid!)).Json["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Account_creation_key_change_and_deactivation_are_audited()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var id = client.Kid!.Split('/')[^1];
        var newKey = TestKey.Es256();
        var inner = TestJws.Sign(newKey, new JsonObject { ["alg"] = newKey.Alg, ["jwk"] = newKey.Jwk(), ["url"] = client.Url("keyChange") }, new JsonObject { ["account"] = client.Kid, ["oldKey"] = client.Key.Jwk() });
        (await client.PostAsync(client.Url("keyChange"), inner)).Expect(HttpStatusCode.OK);
        client.UseKey(newKey);
        (await client.PostAsync(client.Kid!, new JsonObject { ["status"] = "deactivated" })).Expect(HttpStatusCode.OK);

        var lines = File.ReadAllLines(Path.Combine(_fixture.Server.DataDirectory, "audit.log")).Where(l => l.Contains("account:" + id, StringComparison.Ordinal)).ToList();

        Assert.Contains(lines, l => l.Contains("acme.account.create", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("acme.account.key_change", StringComparison.Ordinal) && l.Contains(newKey.Thumbprint(), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("acme.account.deactivate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_orders_list_names_the_accounts_own_orders()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var first = (await client.NewOrderAsync(("dns", "list-one.example.org"))).Expect(HttpStatusCode.Created).Location;
        var second = (await client.NewOrderAsync(("dns", "list-two.example.org"))).Expect(HttpStatusCode.Created).Location;

        var list = (await client.GetAsync(client.Kid + "/orders")).Expect(HttpStatusCode.OK).Json;

        Assert.Equal([first, second], list["orders"]!.AsArray().Select(o => o!.GetValue<string>()));
    }
}
