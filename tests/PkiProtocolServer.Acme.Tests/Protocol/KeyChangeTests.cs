namespace PkiProtocolServer.Acme.Tests.Protocol;

/// <summary>RFC 8555 7.3.5: account key rollover.</summary>
public sealed class KeyChangeTests : IClassFixture<AcmeServerFixture>
{
    private readonly AcmeServerFixture _fixture;

    public KeyChangeTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>The inner JWS: signed by the new key, no nonce, payload naming the account and its old key.</summary>
    private static JsonObject Inner(AcmeTestClient client, TestKey newKey, Action<JsonObject>? editHeader = null, JsonObject? payload = null)
    {
        var header = new JsonObject { ["alg"] = newKey.Alg, ["jwk"] = newKey.Jwk(), ["url"] = client.Url("keyChange") };
        editHeader?.Invoke(header);
        return TestJws.Sign(newKey, header, payload ?? new JsonObject { ["account"] = client.Kid, ["oldKey"] = client.Key.Jwk() });
    }

    [Fact]
    public async Task The_account_moves_to_the_new_key_and_the_old_key_no_longer_signs_for_it()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var oldKey = client.Key;
        var newKey = TestKey.Es256();

        var changed = (await client.PostAsync(client.Url("keyChange"), Inner(client, newKey))).Expect(HttpStatusCode.OK);

        Assert.Equal(client.Kid, changed.Location);
        (await client.GetAsync(client.Kid!)).ExpectProblem(HttpStatusCode.BadRequest, "malformed"); // old key's signature no longer verifies
        client.UseKey(newKey);
        (await client.GetAsync(client.Kid!)).Expect(HttpStatusCode.OK);
        using var lookup = _fixture.Server.AcmeClient(newKey);
        Assert.Equal(client.Kid, (await lookup.RegisterAsync(new JsonObject { ["onlyReturnExisting"] = true })).Expect(HttpStatusCode.OK).Location);
        using var oldLookup = _fixture.Server.AcmeClient(oldKey);
        (await oldLookup.RegisterAsync(new JsonObject { ["onlyReturnExisting"] = true })).ExpectProblem(HttpStatusCode.BadRequest, "accountDoesNotExist");
    }

    [Fact]
    public async Task The_new_key_may_be_of_another_type()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var newKey = TestKey.EdDsa();

        (await client.PostAsync(client.Url("keyChange"), Inner(client, newKey))).Expect(HttpStatusCode.OK);

        (await client.GetAsync(client.Kid!)).ExpectProblem(HttpStatusCode.BadRequest, "badSignatureAlgorithm");
        client.UseKey(newKey);
        (await client.GetAsync(client.Kid!)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_new_key_that_another_account_holds_is_a_conflict_naming_that_account()
    {
        using var holder = await _fixture.RegisteredClientAsync();
        using var client = await _fixture.RegisteredClientAsync();

        var response = await client.PostAsync(client.Url("keyChange"), Inner(client, holder.Key));

        response.ExpectProblem(HttpStatusCode.Conflict, "malformed");
        Assert.Equal(holder.Kid, response.Location);
    }

    [Fact]
    public async Task An_inner_jws_not_signed_by_the_new_key_is_malformed()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var newKey = TestKey.Es256();
        var inner = Inner(client, newKey);
        inner["signature"] = TestKey.B64(new byte[64]);

        (await client.PostAsync(client.Url("keyChange"), inner)).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task An_inner_jws_with_another_url_or_old_key_or_account_is_unauthorized()
    {
        using var client = await _fixture.RegisteredClientAsync();
        using var stranger = TestKey.Es256();
        var newKey = TestKey.Es256();

        (await client.PostAsync(client.Url("keyChange"), Inner(client, newKey, h => h["url"] = client.Url("newOrder")))).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        (await client.PostAsync(client.Url("keyChange"), Inner(client, newKey, payload: new JsonObject { ["account"] = client.Kid, ["oldKey"] = stranger.Jwk() }))).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        (await client.PostAsync(client.Url("keyChange"), Inner(client, newKey, payload: new JsonObject { ["account"] = client.Kid + "x", ["oldKey"] = client.Key.Jwk() }))).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
    }

    [Fact]
    public async Task An_inner_jws_with_a_nonce_or_a_kid_is_malformed()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var newKey = TestKey.Es256();

        (await client.PostAsync(client.Url("keyChange"), Inner(client, newKey, h => h["nonce"] = "abc"))).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
        (await client.PostAsync(client.Url("keyChange"), Inner(client, newKey, h => { h.Remove("jwk"); h["kid"] = client.Kid; }))).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task Changing_to_the_current_key_is_malformed()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostAsync(client.Url("keyChange"), Inner(client, client.Key))).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }
}
