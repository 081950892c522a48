namespace PkiProtocolServer.Acme.Tests.Protocol;

/// <summary>RFC 8555 section 6 through the real host: every request check, and the headers every response carries.</summary>
public sealed class JwsPipelineTests : IClassFixture<AcmeServerFixture>
{
    private readonly AcmeServerFixture _fixture;

    public JwsPipelineTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    public static TheoryData<string> Algorithms => ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"];

    private static TestKey KeyFor(string alg) => alg switch
    {
        "ES256" => TestKey.Es256(),
        "ES384" => TestKey.Es384(),
        "ES512" => TestKey.Es512(),
        "RS256" => TestKey.Rs256(),
        "PS256" => TestKey.Ps256(),
        _ => TestKey.EdDsa(),
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Every_accepted_algorithm_registers_an_account_and_signs_later_requests(string alg)
    {
        using var client = await _fixture.RegisteredClientAsync(KeyFor(alg));

        var account = await client.GetAsync(client.Kid!);

        account.Expect(HttpStatusCode.OK).AssertCommonHeaders();
        Assert.Equal("valid", account.Json["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_tampered_signature_is_malformed()
    {
        using var client = await _fixture.RegisteredClientAsync();

        var response = await client.PostAsync(client.Kid!, null, tamperSignature: s => { s[^1] ^= 1; return s; });

        response.ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task A_replayed_nonce_is_badNonce_and_the_answer_carries_a_fresh_nonce()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var nonce = await client.FreshNonceAsync();
        (await client.PostAsync(client.Kid!, null)).Expect(HttpStatusCode.OK);

        client.Nonce = nonce;
        var replay = await client.PostAsync(client.Kid!, null);

        replay.ExpectProblem(HttpStatusCode.BadRequest, "badNonce");
        Assert.NotEqual(nonce, replay.ReplayNonce);
        (await client.PostAsync(client.Kid!, null)).Expect(HttpStatusCode.OK); // the fresh one works
    }

    [Fact]
    public async Task A_request_without_a_nonce_or_with_one_never_issued_is_badNonce()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostAsync(client.Kid!, null, editHeader: h => h.Remove("nonce"))).ExpectProblem(HttpStatusCode.BadRequest, "badNonce");
        (await client.PostAsync(client.Kid!, null, editHeader: h => h["nonce"] = "bm90LWEtbm9uY2U")).ExpectProblem(HttpStatusCode.BadRequest, "badNonce");
        (await client.PostAsync(client.Kid!, null, editHeader: h => h["nonce"] = "not base64url!")).ExpectProblem(HttpStatusCode.BadRequest, "badNonce");
    }

    [Fact]
    public async Task A_refused_jwk_request_does_not_use_up_its_nonce()
    {
        using var client = await _fixture.RegisteredClientAsync();
        await client.LoadDirectoryAsync();
        var nonce = await client.FreshNonceAsync();
        var lookup = new JsonObject { ["onlyReturnExisting"] = true };

        (await client.PostAsync(client.Url("newAccount"), lookup.DeepClone(), forceJwk: true, tamperSignature: s => { s[0] ^= 1; return s; })).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
        client.Nonce = nonce;

        (await client.PostAsync(client.Url("newAccount"), lookup.DeepClone(), forceJwk: true)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_kid_request_with_a_bad_signature_is_malformed_not_badNonce_and_its_nonce_is_spent()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var nonce = await client.FreshNonceAsync();

        // The nonce is redeemed while the account is read, so the refusal has spent it; the refusal still names the
        // signature, and carries a fresh nonce for the retry.
        var refused = await client.PostAsync(client.Kid!, null, tamperSignature: s => { s[0] ^= 1; return s; });
        refused.ExpectProblem(HttpStatusCode.BadRequest, "malformed");
        Assert.False(string.IsNullOrEmpty(refused.ReplayNonce));
        client.Nonce = nonce;

        (await client.PostAsync(client.Kid!, null)).ExpectProblem(HttpStatusCode.BadRequest, "badNonce");
    }

    [Fact]
    public async Task An_unknown_account_with_a_bad_nonce_is_accountDoesNotExist()
    {
        using var client = await _fixture.RegisteredClientAsync();
        await client.LoadDirectoryAsync();

        var response = await client.PostAsync(client.Url("newOrder"), new JsonObject(), editHeader: h =>
        {
            h["kid"] = client.Kid + "x";
            h["nonce"] = "bm90LWEtbm9uY2U";
        });

        response.ExpectProblem(HttpStatusCode.BadRequest, "accountDoesNotExist");
    }

    [Fact]
    public async Task A_url_other_than_the_request_url_is_unauthorized()
    {
        using var client = await _fixture.RegisteredClientAsync();

        var response = await client.PostAsync(client.Kid!, null, editHeader: h => h["url"] = client.Url("newOrder"));

        response.ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
    }

    [Fact]
    public async Task A_request_without_url_is_malformed()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostAsync(client.Kid!, null, editHeader: h => h.Remove("url"))).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task Both_kid_and_jwk_is_malformed()
    {
        using var client = await _fixture.RegisteredClientAsync();

        var response = await client.PostAsync(client.Kid!, null, editHeader: h => h["jwk"] = client.Key.Jwk());

        response.ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task Neither_kid_nor_jwk_is_malformed()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostAsync(client.Kid!, null, editHeader: h => h.Remove("kid"))).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task A_jwk_on_a_resource_of_an_account_and_a_kid_on_newAccount_are_malformed()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostAsync(client.Url("newOrder"), new JsonObject { ["identifiers"] = new JsonArray() }, forceJwk: true)).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
        (await client.PostAsync(client.Url("newAccount"), new JsonObject())).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("RS384")]
    [InlineData("ES256K")]
    public async Task An_algorithm_not_accepted_is_badSignatureAlgorithm_listing_the_accepted_ones(string alg)
    {
        using var client = await _fixture.RegisteredClientAsync();

        var problem = (await client.PostAsync(client.Kid!, null, editHeader: h => h["alg"] = alg)).ExpectProblem(HttpStatusCode.BadRequest, "badSignatureAlgorithm");

        Assert.Equal(["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"], problem["algorithms"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task An_algorithm_that_does_not_fit_the_key_is_badSignatureAlgorithm()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostAsync(client.Kid!, null, editHeader: h => h["alg"] = "RS256")).ExpectProblem(HttpStatusCode.BadRequest, "badSignatureAlgorithm");
    }

    [Fact]
    public async Task An_unknown_account_is_accountDoesNotExist()
    {
        using var client = await _fixture.RegisteredClientAsync();
        await client.LoadDirectoryAsync();

        var response = await client.PostAsync(client.Url("newOrder"), new JsonObject(), editHeader: h => h["kid"] = client.Kid + "x");

        response.ExpectProblem(HttpStatusCode.BadRequest, "accountDoesNotExist");
    }

    [Fact]
    public async Task A_kid_that_is_not_an_account_url_of_this_directory_is_accountDoesNotExist()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostAsync(client.Url("newOrder"), new JsonObject(), editHeader: h => h["kid"] = "https://elsewhere.example/acme/account/1"))
            .ExpectProblem(HttpStatusCode.BadRequest, "accountDoesNotExist");
    }

    [Fact]
    public async Task Another_directory_does_not_know_the_account()
    {
        using var client = await _fixture.RegisteredClientAsync();
        using var tos = _fixture.Server.AcmeClient(client.Key, "/acme/tos/directory");
        await tos.LoadDirectoryAsync();
        tos.Kid = client.Kid!.Replace("/acme/account/", "/acme/tos/account/", StringComparison.Ordinal);

        (await tos.PostAsync(tos.Kid, null)).ExpectProblem(HttpStatusCode.BadRequest, "accountDoesNotExist");
    }

    [Fact]
    public async Task A_body_that_is_not_jose_json_is_refused_with_415()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostRawAsync(client.Kid!, "{}", "application/json")).ExpectProblem(HttpStatusCode.UnsupportedMediaType, "malformed");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"protected\":1,\"payload\":\"\",\"signature\":\"\"}")]
    [InlineData("{\"signatures\":[]}")]
    [InlineData("{\"protected\":\"e30\",\"payload\":\"\",\"signature\":\"AA\",\"header\":{}}")]
    [InlineData("{\"protected\":\"e30\",\"protected\":\"e30\",\"payload\":\"\",\"signature\":\"AA\"}")]
    [InlineData("{\"protected\":\"e30=\",\"payload\":\"\",\"signature\":\"AA\"}")]
    [InlineData("{\"protected\":\"bm90IGpzb24\",\"payload\":\"\",\"signature\":\"AA\"}")]
    [InlineData("{\"protected\":\"e30\",\"payload\":\"\",\"signature\":\"AA\"}")]
    public async Task Malformed_json_and_malformed_jws_are_malformed(string body)
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostRawAsync(client.Kid!, body)).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task A_payload_that_is_not_a_json_object_is_malformed()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostAsync(client.Url("newOrder"), JsonValue.Create("identifiers"))).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
        (await client.PostAsync(client.Url("newOrder"), new JsonArray())).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var huge = new JsonObject { ["identifiers"] = new JsonArray(), ["padding"] = new string('x', 100_000) };

        (await client.PostAsync(client.Url("newOrder"), huge)).ExpectProblem(HttpStatusCode.RequestEntityTooLarge, "malformed");
    }

    [Fact]
    public async Task A_body_above_the_hosts_own_limit_is_still_an_acme_problem()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostRawAsync(client.Url("newOrder"), new string(' ', 2 * 1024 * 1024))).ExpectProblem(HttpStatusCode.RequestEntityTooLarge, "malformed");
    }

    [Fact]
    public async Task Post_as_get_where_a_payload_is_needed_and_a_payload_where_only_post_as_get_is_read_are_malformed()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostAsync(client.Url("newOrder"), null)).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
        (await client.PostAsync(client.Kid + "/orders", new JsonObject())).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task Get_on_a_post_resource_is_405_with_the_acme_headers()
    {
        using var client = _fixture.Server.AcmeClient();
        await client.LoadDirectoryAsync();

        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, client.Url("newOrder")))).ExpectProblem(HttpStatusCode.MethodNotAllowed, "malformed");
    }

    [Fact]
    public async Task An_unknown_acme_path_or_directory_is_404_with_the_acme_headers()
    {
        using var client = _fixture.Server.AcmeClient();

        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/acme/nothing/here/at/all"))).ExpectProblem(HttpStatusCode.NotFound, "malformed");
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/acme/nope/directory"))).ExpectProblem(HttpStatusCode.NotFound, "malformed");
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/acme/default/directory"))).ExpectProblem(HttpStatusCode.NotFound, "malformed");
    }

    [Fact]
    public async Task NewNonce_answers_head_with_200_and_get_with_204_never_cached()
    {
        using var client = _fixture.Server.AcmeClient();
        await client.LoadDirectoryAsync();

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, client.Url("newNonce")));
        var get = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, client.Url("newNonce")));

        head.Expect(HttpStatusCode.OK).AssertCommonHeaders();
        get.Expect(HttpStatusCode.NoContent).AssertCommonHeaders();
        Assert.NotEqual(head.ReplayNonce, get.ReplayNonce);
    }

    [Fact]
    public async Task The_directory_lists_every_resource_and_its_meta()
    {
        using var client = _fixture.Server.AcmeClient(directoryPath: "/acme/tos/directory");

        var directory = await client.LoadDirectoryAsync();

        foreach (var resource in new[] { "newNonce", "newAccount", "newOrder", "revokeCert", "keyChange" })
        {
            Assert.StartsWith("https://localhost/acme/tos/", directory[resource]!.GetValue<string>());
        }

        Assert.Equal(AcmeServerFixture.TermsUrl, directory["meta"]!["termsOfService"]!.GetValue<string>());
        Assert.Equal("https://ca.example", directory["meta"]!["website"]!.GetValue<string>());
        Assert.Equal("ca.example", directory["meta"]!["caaIdentities"]![0]!.GetValue<string>());
        Assert.False(directory["meta"]!["externalAccountRequired"]!.GetValue<bool>());
    }
}
