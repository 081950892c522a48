namespace PkiProtocolServer.Acme.Tests.Validation;

/// <summary>
/// Challenge validation through the real host and the background validator: http-01 (RFC 8555 8.3), dns-01 (8.4),
/// tls-alpn-01 (RFC 8737), wildcards, bounded retries, and the errors a client sees.
/// </summary>
public sealed class ValidationTests : IClassFixture<AcmeServerFixture>
{
    private readonly AcmeServerFixture _fixture;

    public ValidationTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    private static string Str(JsonNode node, string name) => node[name]!.GetValue<string>();

    /// <summary>A new order for one identifier; returns its URL, its authorization URL and the challenge of <paramref name="type"/>.</summary>
    private static async Task<(string OrderUrl, string AuthorizationUrl, JsonNode Challenge)> OrderAsync(AcmeTestClient client, string type, string value, string challengeType)
    {
        var created = (await client.NewOrderAsync((type, value))).Expect(HttpStatusCode.Created);
        var authorizationUrl = created.Json["authorizations"]![0]!.GetValue<string>();
        var authorization = (await client.GetAsync(authorizationUrl)).Json;
        var challenge = authorization["challenges"]!.AsArray().Single(c => Str(c!, "type") == challengeType)!;
        return (created.Location!, authorizationUrl, challenge);
    }

    private static async Task<JsonNode> AnswerAndWaitAsync(AcmeTestClient client, string authorizationUrl, JsonNode challenge)
    {
        (await client.PostAsync(Str(challenge, "url"), new JsonObject())).Expect(HttpStatusCode.OK);
        return await client.PollAsync(authorizationUrl, a => Str(a, "status") != "pending");
    }

    private static string KeyAuthorization(AcmeTestClient client, JsonNode challenge) => Str(challenge, "token") + "." + client.Key.Thumbprint();

    [Fact]
    public async Task Http01_accepts_the_key_authorization_with_trailing_whitespace()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (_, authorizationUrl, challenge) = await OrderAsync(client, "dns", "ws.http.example.org", "http-01");
        _fixture.Responder.Answers["/.well-known/acme-challenge/" + Str(challenge, "token")] = (200, null, KeyAuthorization(client, challenge) + " \r\n");

        var authorization = await AnswerAndWaitAsync(client, authorizationUrl, challenge);

        Assert.Equal("valid", Str(authorization, "status"));
    }

    [Fact]
    public async Task Http01_follows_a_redirect_to_an_allowed_port()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (_, authorizationUrl, challenge) = await OrderAsync(client, "dns", "redirect.http.example.org", "http-01");
        var token = Str(challenge, "token");
        _fixture.Responder.Answers["/.well-known/acme-challenge/" + token] = (302, $"http://redirect.http.example.org:{_fixture.Responder.Port}/moved/{token}", string.Empty);
        _fixture.Responder.Answers["/moved/" + token] = (200, null, KeyAuthorization(client, challenge));

        Assert.Equal("valid", Str(await AnswerAndWaitAsync(client, authorizationUrl, challenge), "status"));
    }

    [Fact]
    public async Task Http01_does_not_follow_a_redirect_to_another_port_and_the_challenge_fails_with_connection()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (orderUrl, authorizationUrl, challenge) = await OrderAsync(client, "dns", "badport.http.example.org", "http-01");
        _fixture.Responder.Answers["/.well-known/acme-challenge/" + Str(challenge, "token")] = (301, "http://badport.http.example.org:22/x", string.Empty);

        var authorization = await AnswerAndWaitAsync(client, authorizationUrl, challenge);

        Assert.Equal("invalid", Str(authorization, "status"));
        var error = authorization["challenges"]!.AsArray().Single(c => Str(c!, "type") == "http-01")!["error"]!;
        Assert.Equal("urn:ietf:params:acme:error:connection", Str(error, "type"));
        Assert.Equal("badport.http.example.org", Str(error["identifier"]!, "value"));
        var order = (await client.GetAsync(orderUrl)).Json;
        Assert.Equal("invalid", Str(order, "status"));
        Assert.Equal("urn:ietf:params:acme:error:connection", Str(order["error"]!, "type"));
    }

    [Fact]
    public async Task Http01_with_the_wrong_body_is_incorrectResponse_after_the_bounded_retries()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (_, authorizationUrl, challenge) = await OrderAsync(client, "dns", "wrong.http.example.org", "http-01");
        _fixture.Responder.Answers["/.well-known/acme-challenge/" + Str(challenge, "token")] = (200, null, "something else");

        var authorization = await AnswerAndWaitAsync(client, authorizationUrl, challenge);

        var failed = authorization["challenges"]!.AsArray().Single(c => Str(c!, "type") == "http-01")!;
        Assert.Equal("invalid", Str(failed, "status"));
        Assert.Equal("urn:ietf:params:acme:error:incorrectResponse", Str(failed["error"]!, "type"));
    }

    [Fact]
    public async Task Http01_answered_with_404_is_unauthorized_and_a_body_too_large_is_incorrectResponse()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (_, missingUrl, missing) = await OrderAsync(client, "dns", "missing.http.example.org", "http-01");
        var (_, hugeUrl, huge) = await OrderAsync(client, "dns", "huge.http.example.org", "http-01");
        _fixture.Responder.Answers["/.well-known/acme-challenge/" + Str(huge, "token")] = (200, null, KeyAuthorization(client, huge) + new string(' ', 10_000));

        var missingResult = await AnswerAndWaitAsync(client, missingUrl, missing);
        var hugeResult = await AnswerAndWaitAsync(client, hugeUrl, huge);

        Assert.Equal("urn:ietf:params:acme:error:unauthorized", Str(missingResult["challenges"]![0]!["error"]!, "type"));
        Assert.Equal("urn:ietf:params:acme:error:incorrectResponse", Str(hugeResult["challenges"]![0]!["error"]!, "type"));
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_so_a_responder_that_comes_up_late_still_validates()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (_, authorizationUrl, challenge) = await OrderAsync(client, "dns", "late.http.example.org", "http-01");
        var before = _fixture.Responder.Requests;
        (await client.PostAsync(Str(challenge, "url"), new JsonObject())).Expect(HttpStatusCode.OK);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_fixture.Responder.Requests == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        _fixture.Responder.Serve(Str(challenge, "token"), KeyAuthorization(client, challenge));

        Assert.Equal("valid", Str(await client.PollAsync(authorizationUrl, a => Str(a, "status") != "pending"), "status"));
    }

    [Fact]
    public async Task Dns01_finds_the_txt_record_and_validates_a_wildcard()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (orderUrl, authorizationUrl, challenge) = await OrderAsync(client, "dns", "*.wild.example.org", "dns-01");
        _fixture.Server.Dns.Publish("_acme-challenge.wild.example.org", "unrelated");
        _fixture.Server.Dns.Publish("_acme-challenge.wild.example.org", TestKey.B64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(KeyAuthorization(client, challenge)))));

        Assert.Equal("valid", Str(await AnswerAndWaitAsync(client, authorizationUrl, challenge), "status"));

        Assert.Equal("ready", Str((await client.GetAsync(orderUrl)).Json, "status"));
        var finalized = (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("*.wild.example.org") })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("valid", Str(finalized, "status"));
    }

    [Fact]
    public async Task Dns01_without_the_record_is_a_dns_error_and_with_a_wrong_one_incorrectResponse()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (_, noneUrl, none) = await OrderAsync(client, "dns", "none.dns.example.org", "dns-01");
        var (_, wrongUrl, wrong) = await OrderAsync(client, "dns", "wrong.dns.example.org", "dns-01");
        _fixture.Server.Dns.Publish("_acme-challenge.wrong.dns.example.org", "not-the-digest");

        var noneResult = await AnswerAndWaitAsync(client, noneUrl, none);
        var wrongResult = await AnswerAndWaitAsync(client, wrongUrl, wrong);

        Assert.Equal("urn:ietf:params:acme:error:dns", Str(noneResult["challenges"]!.AsArray().Single(c => Str(c!, "type") == "dns-01")!["error"]!, "type"));
        Assert.Equal("urn:ietf:params:acme:error:incorrectResponse", Str(wrongResult["challenges"]!.AsArray().Single(c => Str(c!, "type") == "dns-01")!["error"]!, "type"));
    }

    [Fact]
    public async Task TlsAlpn01_validates_a_certificate_with_the_acme_identifier()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (_, authorizationUrl, challenge) = await OrderAsync(client, "dns", "alpn.example.org", "tls-alpn-01");
        _fixture.TlsAlpn.Certificates["alpn.example.org"] = TlsAlpnResponder.ChallengeCertificate("alpn.example.org", KeyAuthorization(client, challenge));

        Assert.Equal("valid", Str(await AnswerAndWaitAsync(client, authorizationUrl, challenge), "status"));
    }

    [Fact]
    public async Task TlsAlpn01_refuses_a_non_critical_extension_and_a_certificate_for_another_name()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (_, softUrl, soft) = await OrderAsync(client, "dns", "soft.alpn.example.org", "tls-alpn-01");
        var (_, otherUrl, other) = await OrderAsync(client, "dns", "other.alpn.example.org", "tls-alpn-01");
        _fixture.TlsAlpn.Certificates["soft.alpn.example.org"] = TlsAlpnResponder.ChallengeCertificate("soft.alpn.example.org", KeyAuthorization(client, soft), critical: false);
        _fixture.TlsAlpn.Certificates["other.alpn.example.org"] = TlsAlpnResponder.ChallengeCertificate("other.alpn.example.org", KeyAuthorization(client, other), sanOverride: "elsewhere.example.org");

        var softResult = await AnswerAndWaitAsync(client, softUrl, soft);
        var otherResult = await AnswerAndWaitAsync(client, otherUrl, other);

        Assert.Equal("urn:ietf:params:acme:error:incorrectResponse", Str(softResult["challenges"]!.AsArray().Single(c => Str(c!, "type") == "tls-alpn-01")!["error"]!, "type"));
        Assert.Equal("urn:ietf:params:acme:error:incorrectResponse", Str(otherResult["challenges"]!.AsArray().Single(c => Str(c!, "type") == "tls-alpn-01")!["error"]!, "type"));
    }

    [Fact]
    public async Task Answering_a_second_challenge_while_one_is_processing_or_after_the_result_changes_nothing_harmful()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var created = (await client.NewOrderAsync(("dns", "once.example.org"))).Expect(HttpStatusCode.Created);
        var authorizationUrl = created.Json["authorizations"]![0]!.GetValue<string>();
        var challenges = (await client.GetAsync(authorizationUrl)).Json["challenges"]!.AsArray();
        var http = challenges.Single(c => Str(c!, "type") == "http-01")!;
        var dns = challenges.Single(c => Str(c!, "type") == "dns-01")!;
        _fixture.Responder.Serve(Str(http, "token"), KeyAuthorization(client, http));

        await AnswerAndWaitAsync(client, authorizationUrl, http);
        var late = await client.PostAsync(Str(dns, "url"), new JsonObject());

        late.ExpectProblem(HttpStatusCode.BadRequest, "malformed");
        Assert.Equal("valid", Str((await client.GetAsync(authorizationUrl)).Json, "status"));
    }
}
