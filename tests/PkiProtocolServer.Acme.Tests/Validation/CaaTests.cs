using PkiProtocolServer.Acme.Validation;

namespace PkiProtocolServer.Acme.Tests.Validation;

/// <summary>
/// CAA through the real host (RFC 8659, RFC 8657): checked after the challenge succeeds and before the authorization
/// is valid, refusals as a <c>caa</c> challenge error naming the identifier and record, and checked again at finalize.
/// </summary>
public sealed class CaaTests : IClassFixture<CaaServerFixture>
{
    private readonly CaaServerFixture _fixture;

    public CaaTests(CaaServerFixture fixture)
    {
        _fixture = fixture;
    }

    private static string Str(JsonNode node, string name) => node[name]!.GetValue<string>();

    private static CaaRecordData Issue(string value) => new(0, "issue", value);

    private static JsonNode ChallengeError(JsonNode authorization, string type) =>
        authorization["challenges"]!.AsArray().Single(c => Str(c!, "type") == type)!["error"]!;

    [Fact]
    public async Task A_CAA_record_naming_another_CA_makes_the_authorization_invalid_with_a_caa_error()
    {
        using var client = await _fixture.RegisteredClientAsync();
        _fixture.Dns.SetCaa("other-ca.example.org", Issue("other.example"));
        var (orderUrl, authorizationUrl, challenge) = await CaaServerFixture.OrderAsync(client, "www.other-ca.example.org", "dns-01");

        var authorization = await _fixture.ProveDns01Async(client, "www.other-ca.example.org", authorizationUrl, challenge);

        Assert.Equal("invalid", Str(authorization, "status"));
        var error = ChallengeError(authorization, "dns-01");
        Assert.Equal("urn:ietf:params:acme:error:caa", Str(error, "type"));
        Assert.Equal("www.other-ca.example.org", Str(error["identifier"]!, "value"));
        Assert.Contains("other.example", Str(error, "detail"));
        Assert.Contains("CAA at other-ca.example.org", Str(error, "detail"));
        Assert.Equal("urn:ietf:params:acme:error:caa", Str((await client.GetAsync(orderUrl)).Json["error"]!, "type"));
    }

    [Fact]
    public async Task Accounturi_allows_only_the_named_account()
    {
        using var client = await _fixture.RegisteredClientAsync();
        _fixture.Dns.SetCaa("mine.example.org", Issue($"{CaaServerFixture.Identity}; accounturi={client.Kid}"));
        _fixture.Dns.SetCaa("theirs.example.org", Issue($"{CaaServerFixture.Identity}; accounturi={client.Kid}-other"));
        var (_, mineUrl, mine) = await CaaServerFixture.OrderAsync(client, "mine.example.org", "dns-01");
        var (_, theirsUrl, theirs) = await CaaServerFixture.OrderAsync(client, "theirs.example.org", "dns-01");

        var allowed = await _fixture.ProveDns01Async(client, "mine.example.org", mineUrl, mine);
        var refused = await _fixture.ProveDns01Async(client, "theirs.example.org", theirsUrl, theirs);

        Assert.Equal("valid", Str(allowed, "status"));
        Assert.Equal("invalid", Str(refused, "status"));
        Assert.Equal("urn:ietf:params:acme:error:caa", Str(ChallengeError(refused, "dns-01"), "type"));
    }

    [Fact]
    public async Task Validationmethods_that_do_not_list_the_challenge_used_refuse()
    {
        using var client = await _fixture.RegisteredClientAsync();
        _fixture.Dns.SetCaa("methods.example.org", Issue($"{CaaServerFixture.Identity}; validationmethods=http-01,tls-alpn-01"));
        var (_, authorizationUrl, challenge) = await CaaServerFixture.OrderAsync(client, "methods.example.org", "dns-01");

        var authorization = await _fixture.ProveDns01Async(client, "methods.example.org", authorizationUrl, challenge);

        Assert.Equal("invalid", Str(authorization, "status"));
        Assert.Contains("dns-01", Str(ChallengeError(authorization, "dns-01"), "detail"));
    }

    [Fact]
    public async Task A_failing_CAA_lookup_refuses_issuance()
    {
        using var client = await _fixture.RegisteredClientAsync();
        _fixture.Dns.ServFail.Add("servfail.example.org");
        var (_, authorizationUrl, challenge) = await CaaServerFixture.OrderAsync(client, "servfail.example.org", "dns-01");

        var authorization = await _fixture.ProveDns01Async(client, "servfail.example.org", authorizationUrl, challenge);

        var error = ChallengeError(authorization, "dns-01");
        Assert.Equal("urn:ietf:params:acme:error:caa", Str(error, "type"));
        Assert.Contains("SERVFAIL", Str(error, "detail"));
    }

    [Fact]
    public async Task Issuewild_naming_another_CA_refuses_a_wildcard_whose_base_name_issue_allows()
    {
        using var client = await _fixture.RegisteredClientAsync();
        _fixture.Dns.SetCaa("wild.caa.example.org", Issue(CaaServerFixture.Identity), new CaaRecordData(0, "issuewild", "other.example"));
        var (_, authorizationUrl, challenge) = await CaaServerFixture.OrderAsync(client, "*.wild.caa.example.org", "dns-01");

        var authorization = await _fixture.ProveDns01Async(client, "wild.caa.example.org", authorizationUrl, challenge);

        Assert.Equal("invalid", Str(authorization, "status"));
        Assert.Contains("*.wild.caa.example.org", Str(ChallengeError(authorization, "dns-01"), "detail"));
    }

    [Fact]
    public async Task Finalize_rechecks_CAA_and_refuses_with_a_subproblem_per_identifier_when_it_now_forbids()
    {
        using var client = await _fixture.RegisteredClientAsync();
        _fixture.Dns.SetCaa("recheck.example.org", Issue(CaaServerFixture.Identity));
        var (orderUrl, authorizationUrl, challenge) = await CaaServerFixture.OrderAsync(client, "recheck.example.org", "dns-01");
        Assert.Equal("valid", Str(await _fixture.ProveDns01Async(client, "recheck.example.org", authorizationUrl, challenge), "status"));

        _fixture.Dns.SetCaa("recheck.example.org", Issue("other.example"));
        var problem = (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("recheck.example.org") }))
            .ExpectProblem(HttpStatusCode.Forbidden, "caa");

        var subproblem = Assert.Single(problem["subproblems"]!.AsArray())!;
        Assert.Equal("recheck.example.org", Str(subproblem["identifier"]!, "value"));
        Assert.Equal("urn:ietf:params:acme:error:caa", Str(subproblem, "type"));
        Assert.Equal("ready", Str((await client.GetAsync(orderUrl)).Json, "status"));

        _fixture.Dns.SetCaa("recheck.example.org", Issue(CaaServerFixture.Identity));
        var finalized = (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("recheck.example.org") })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("valid", Str(finalized, "status"));
    }

    [Fact]
    public async Task A_directory_without_CaaIdentities_does_not_check_CAA()
    {
        using var client = await _fixture.RegisteredClientAsync(directoryPath: "/acme/directory");
        _fixture.Dns.SetCaa("unchecked.example.org", Issue("other.example"));
        var (_, authorizationUrl, challenge) = await CaaServerFixture.OrderAsync(client, "unchecked.example.org", "dns-01");

        Assert.Equal("valid", Str(await _fixture.ProveDns01Async(client, "unchecked.example.org", authorizationUrl, challenge), "status"));
    }
}
