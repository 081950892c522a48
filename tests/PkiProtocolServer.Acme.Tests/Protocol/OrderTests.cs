using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PkiProtocolServer.Acme.Tests.Protocol;

/// <summary>RFC 8555 7.4 and 7.5 (RFC 8738 for IP addresses): orders, authorizations, challenges, finalize, download.</summary>
public sealed class OrderTests : IClassFixture<AcmeServerFixture>
{
    private readonly AcmeServerFixture _fixture;

    public OrderTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    private static string Str(JsonNode node, string name) => node[name]!.GetValue<string>();

    private static List<string> Strings(JsonNode node, string name) => node[name]!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    [Fact]
    public async Task A_new_order_is_pending_with_an_authorization_per_identifier_and_the_challenges_each_allows()
    {
        using var client = await _fixture.RegisteredClientAsync();

        var created = (await client.NewOrderAsync(("dns", "WWW.Example.org"), ("dns", "*.example.org"), ("ip", "192.0.2.7"))).Expect(HttpStatusCode.Created);

        created.AssertCommonHeaders();
        var order = created.Json;
        Assert.Equal("pending", Str(order, "status"));
        Assert.StartsWith("https://localhost/acme/order/", created.Location);
        Assert.Equal(created.Location + "/finalize", Str(order, "finalize"));
        Assert.Equal(["www.example.org", "*.example.org", "192.0.2.7"], order["identifiers"]!.AsArray().Select(i => Str(i!, "value")));
        var authorizations = new List<JsonNode>();
        foreach (var url in Strings(order, "authorizations"))
        {
            var authorization = (await client.GetAsync(url)).Expect(HttpStatusCode.OK);
            Assert.Equal("1", authorization.Headers.RetryAfter?.ToString()); // a pending authorization says when to look again
            authorizations.Add(authorization.Json);
        }

        Assert.Equal(["http-01", "dns-01", "tls-alpn-01"], authorizations[0]["challenges"]!.AsArray().Select(c => Str(c!, "type")));
        Assert.Equal("example.org", Str(authorizations[1]["identifier"]!, "value"));
        Assert.True(authorizations[1]["wildcard"]!.GetValue<bool>());
        Assert.Equal(["dns-01"], authorizations[1]["challenges"]!.AsArray().Select(c => Str(c!, "type")));
        Assert.Equal(["http-01", "tls-alpn-01"], authorizations[2]["challenges"]!.AsArray().Select(c => Str(c!, "type")));
        Assert.All(authorizations.SelectMany(a => a["challenges"]!.AsArray()), c => Assert.True(Str(c!, "token").Length >= 22));
    }

    [Fact]
    public async Task An_unsupported_identifier_type_is_unsupportedIdentifier_naming_it()
    {
        using var client = await _fixture.RegisteredClientAsync();

        var problem = (await client.NewOrderAsync(("email", "someone@example.org"))).ExpectProblem(HttpStatusCode.BadRequest, "unsupportedIdentifier");

        Assert.Equal("someone@example.org", Str(problem["subproblems"]![0]!["identifier"]!, "value"));
    }

    [Fact]
    public async Task Invalid_names_are_rejectedIdentifier_with_a_subproblem_for_each()
    {
        using var client = await _fixture.RegisteredClientAsync();

        var problem = (await client.NewOrderAsync(("dns", "bad_name.example.org"), ("dns", "a.*.example.org"), ("ip", "1.2.3"), ("dns", "ok.example.org"))).ExpectProblem(HttpStatusCode.BadRequest, "rejectedIdentifier");

        Assert.Equal(["bad_name.example.org", "a.*.example.org", "1.2.3"], problem["subproblems"]!.AsArray().Select(s => Str(s!["identifier"]!, "value")));
        Assert.All(problem["subproblems"]!.AsArray(), s => Assert.Equal("urn:ietf:params:acme:error:rejectedIdentifier", Str(s!, "type")));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"identifiers\":[]}")]
    [InlineData("{\"identifiers\":\"www.example.org\"}")]
    [InlineData("{\"identifiers\":[\"www.example.org\"]}")]
    [InlineData("{\"identifiers\":[{\"type\":\"dns\"}]}")]
    [InlineData("{\"identifiers\":[{\"type\":\"dns\",\"value\":\"a.example.org\"}],\"notAfter\":\"2030-01-01T00:00:00Z\"}")]
    public async Task A_new_order_without_usable_identifiers_is_malformed(string payload)
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.PostAsync(client.Url("newOrder"), JsonNode.Parse(payload))).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task The_full_http01_flow_issues_a_certificate_whose_chain_validates_to_the_root()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (orderUrl, _) = await _fixture.ReadyOrderAsync(client, "www.flow.example.org", "flow.example.org");

        var finalized = (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("flow.example.org", "www.flow.example.org") })).Expect(HttpStatusCode.OK);

        Assert.Equal("valid", Str(finalized.Json, "status"));
        var download = (await client.GetAsync(Str(finalized.Json, "certificate"))).Expect(HttpStatusCode.OK);
        download.AssertCommonHeaders();
        Assert.Equal("application/pem-certificate-chain", download.ContentType);
        var pems = Chains.Split(download.Body);
        Chains.AssertValid(pems[0], pems[1..], _fixture.Server.RootPem);
        using var leaf = X509Certificate2.CreateFromPem(pems[0]);
        var san = (X509SubjectAlternativeNameExtension)leaf.Extensions["2.5.29.17"]!;
        Assert.Equal(["flow.example.org", "www.flow.example.org"], san.EnumerateDnsNames().Order());
        Assert.Single(download.LinksWithRelation("up"));
        Assert.Empty(download.LinksWithRelation("alternate"));
        Assert.Equal(Str(finalized.Json, "certificate"), Str((await client.GetAsync(orderUrl)).Json, "certificate"));
    }

    [Fact]
    public async Task An_ip_identifier_is_proven_over_http01_and_issued_as_an_ip_address()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (orderUrl, _) = await _fixture.ReadyOrderAsync(client, "127.0.0.1");

        var finalized = (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("127.0.0.1") })).Expect(HttpStatusCode.OK).Json;

        var pem = Chains.Split((await client.GetAsync(Str(finalized, "certificate"))).Body)[0];
        using var leaf = X509Certificate2.CreateFromPem(pem);
        var san = (X509SubjectAlternativeNameExtension)leaf.Extensions["2.5.29.17"]!;
        Assert.Equal([IPAddress.Loopback], san.EnumerateIPAddresses());
    }

    [Fact]
    public async Task A_valid_authorization_is_reused_so_a_second_order_is_ready_at_once()
    {
        using var client = await _fixture.RegisteredClientAsync();
        await _fixture.ReadyOrderAsync(client, "reuse.example.org");

        var second = (await client.NewOrderAsync(("dns", "reuse.example.org"))).Expect(HttpStatusCode.Created).Json;

        Assert.Equal("ready", Str(second, "status"));
    }

    [Fact]
    public async Task Finalize_before_the_order_is_ready_is_orderNotReady()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var order = (await client.NewOrderAsync(("dns", "early.example.org"))).Expect(HttpStatusCode.Created);

        (await client.PostAsync(Str(order.Json, "finalize"), new JsonObject { ["csr"] = Csrs.For("early.example.org") })).ExpectProblem(HttpStatusCode.Forbidden, "orderNotReady");
    }

    [Fact]
    public async Task Finalizing_a_valid_order_again_is_orderNotReady()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (orderUrl, _) = await _fixture.ReadyOrderAsync(client, "twice.example.org");
        (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("twice.example.org") })).Expect(HttpStatusCode.OK);

        (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("twice.example.org") })).ExpectProblem(HttpStatusCode.Forbidden, "orderNotReady");
    }

    [Fact]
    public async Task A_csr_with_an_extra_or_a_missing_name_is_badCSR_naming_it_and_the_order_stays_ready()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (orderUrl, _) = await _fixture.ReadyOrderAsync(client, "a.csr.example.org", "b.csr.example.org");

        var extra = (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("a.csr.example.org", "b.csr.example.org", "c.csr.example.org") }))
            .ExpectProblem(HttpStatusCode.BadRequest, "badCSR");
        var missing = (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("a.csr.example.org") }))
            .ExpectProblem(HttpStatusCode.BadRequest, "badCSR");

        Assert.Equal("c.csr.example.org", Str(extra["subproblems"]!.AsArray().Single()!["identifier"]!, "value"));
        Assert.Equal("b.csr.example.org", Str(missing["subproblems"]!.AsArray().Single()!["identifier"]!, "value"));
        Assert.Equal("ready", Str((await client.GetAsync(orderUrl)).Json, "status"));
        (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("b.csr.example.org", "a.csr.example.org") })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_csr_whose_common_name_is_not_an_identifier_is_badCSR()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (orderUrl, _) = await _fixture.ReadyOrderAsync(client, "cn.example.org");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = Csrs.Build(new CertificateRequest("CN=other.example.org", key, HashAlgorithmName.SHA256), "cn.example.org");

        (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = csr })).ExpectProblem(HttpStatusCode.BadRequest, "badCSR");
    }

    [Fact]
    public async Task A_csr_of_the_account_key_or_not_base64url_or_not_a_csr_is_badCSR()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (orderUrl, _) = await _fixture.ReadyOrderAsync(client, "key.example.org");
        var ownKey = Csrs.Build(client.Key.CertificateRequestWithThisKey("CN=key.example.org"), "key.example.org");

        (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = ownKey })).ExpectProblem(HttpStatusCode.BadRequest, "badCSR");
        (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = "-----BEGIN CERTIFICATE REQUEST-----" })).ExpectProblem(HttpStatusCode.BadRequest, "badCSR");
        (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = TestKey.B64(Encoding.ASCII.GetBytes("not a csr")) })).ExpectProblem(HttpStatusCode.BadRequest, "badCSR");
        (await client.PostAsync(orderUrl + "/finalize", new JsonObject())).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task Another_accounts_order_authorization_challenge_and_certificate_are_unauthorized()
    {
        using var owner = await _fixture.RegisteredClientAsync();
        using var other = await _fixture.RegisteredClientAsync();
        var (orderUrl, order) = await _fixture.ReadyOrderAsync(owner, "mine.example.org");
        var authorizationUrl = Strings(order, "authorizations")[0];
        var challengeUrl = Str((await owner.GetAsync(authorizationUrl)).Json["challenges"]![0]!, "url");
        var certificateUrl = Str((await owner.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("mine.example.org") })).Json, "certificate");

        foreach (var url in new[] { orderUrl, authorizationUrl, challengeUrl, certificateUrl })
        {
            var problem = (await other.GetAsync(url)).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
            Assert.DoesNotContain("mine.example.org", problem.ToJsonString());
        }

        (await other.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For("mine.example.org") })).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
        (await other.PostAsync(authorizationUrl, new JsonObject { ["status"] = "deactivated" })).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
    }

    [Fact]
    public async Task Unknown_orders_authorizations_challenges_and_certificates_are_404()
    {
        using var client = await _fixture.RegisteredClientAsync();

        foreach (var path in new[] { "/acme/order/nope", "/acme/authz/nope", "/acme/chall/nope/nope", "/acme/cert/nope", "/acme/cert/nope/1" })
        {
            (await client.GetAsync("https://localhost" + path)).ExpectProblem(HttpStatusCode.NotFound, "malformed");
        }
    }

    [Fact]
    public async Task Deactivating_an_authorization_makes_its_order_invalid()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var created = (await client.NewOrderAsync(("dns", "deactivate.example.org"))).Expect(HttpStatusCode.Created);
        var authorizationUrl = Strings(created.Json, "authorizations")[0];

        var deactivated = (await client.PostAsync(authorizationUrl, new JsonObject { ["status"] = "deactivated" })).Expect(HttpStatusCode.OK).Json;

        Assert.Equal("deactivated", Str(deactivated, "status"));
        var order = (await client.GetAsync(created.Location!)).Json;
        Assert.Equal("invalid", Str(order, "status"));
        Assert.NotNull(order["error"]);
        (await client.PostAsync(authorizationUrl, new JsonObject { ["status"] = "deactivated" })).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
        (await client.PostAsync(authorizationUrl, new JsonObject { ["status"] = "valid" })).ExpectProblem(HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task An_answered_challenge_links_up_to_its_authorization()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var created = (await client.NewOrderAsync(("dns", "up.example.org"))).Expect(HttpStatusCode.Created);
        var authorizationUrl = Strings(created.Json, "authorizations")[0];
        var challenge = (await client.GetAsync(authorizationUrl)).Json["challenges"]![0]!;
        _fixture.Responder.Serve(Str(challenge, "token"), Str(challenge, "token") + "." + client.Key.Thumbprint());

        var answered = (await client.PostAsync(Str(challenge, "url"), new JsonObject())).Expect(HttpStatusCode.OK);

        Assert.Equal([authorizationUrl], answered.LinksWithRelation("up"));
        Assert.Contains(Str(answered.Json, "status"), new[] { "processing", "valid" });
        if (Str(answered.Json, "status") == "processing")
        {
            Assert.Equal("1", answered.Headers.RetryAfter?.ToString());
        }

        await client.PollAsync(authorizationUrl, a => Str(a, "status") == "valid");
        var again = (await client.PostAsync(Str(challenge, "url"), new JsonObject())).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("valid", Str(again, "status"));
        Assert.NotNull(again["validated"]);
    }
}
