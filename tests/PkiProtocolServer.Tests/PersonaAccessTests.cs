namespace PkiProtocolServer.Tests;

/// <summary>
/// Vault PKI's role-based access table on the admin API: operator ⊇ agent ⊇ advanced ⊇ requester,
/// and no token gets a bearer challenge.
/// </summary>
public sealed class PersonaAccessTests : IClassFixture<PkiServerFactory>
{
    private const string Garbage = """{"csr":"garbage"}""";

    private readonly PkiServerFactory _server;

    public PersonaAccessTests(PkiServerFactory server)
    {
        _server = server;
    }

    /// <summary>Every protected endpoint with the least persona that may call it. Bodies are harmless (they fail after authorization, or change nothing shared).</summary>
    public static TheoryData<string, string, string?, string> ProtectedEndpoints => new()
    {
        { "GET", "/api/v1/roles", null, "requester" },
        { "GET", "/api/v1/roles/server-tls", null, "requester" },
        { "PUT", "/api/v1/roles/persona-matrix", """{"allowed_domains":["matrix.example"]}""", "agent" },
        { "POST", "/api/v1/roles/persona-matrix", """{"allowed_domains":["matrix.example"]}""", "agent" },
        { "DELETE", "/api/v1/roles/no-such-role", null, "agent" },
        { "POST", "/api/v1/sign/server-tls", Garbage, "requester" },
        { "POST", "/api/v1/issue/server-tls", """{"common_name":"localhost"}""", "requester" },
        { "POST", "/api/v1/issuers/dev-intermediate/sign/server-tls", Garbage, "advanced" },
        { "POST", "/api/v1/issuers/dev-intermediate/issue/server-tls", """{"common_name":"localhost"}""", "advanced" },
        { "GET", "/api/v1/certs", null, "requester" },
        { "GET", "/api/v1/config/issuers", null, "agent" },
        { "PUT", "/api/v1/config/issuers", """{"default":"no-such-issuer"}""", "operator" },
        { "POST", "/api/v1/issuers/generate/root", "{}", "operator" },
        { "POST", "/api/v1/issuers/generate/intermediate", "{}", "operator" },
        { "POST", "/api/v1/issuers/no-such-issuer/csr", null, "operator" },
        { "POST", "/api/v1/issuers/dev-root/sign-intermediate", Garbage, "operator" },
        { "POST", "/api/v1/issuers/import", """{"pem_bundle":"none"}""", "operator" },
        { "POST", "/api/v1/intermediate/set-signed", """{"pem_bundle":"none"}""", "operator" },
        { "PATCH", "/api/v1/issuers/no-such-issuer", "{}", "operator" },
        { "DELETE", "/api/v1/issuers/no-such-issuer", null, "operator" },
        { "GET", "/api/v1/keys", null, "operator" },
        { "GET", "/api/v1/keys/no-such-key", null, "operator" },
        { "DELETE", "/api/v1/keys/no-such-key", null, "operator" },
        { "GET", "/api/v1/custody", null, "operator" },
        { "POST", "/api/v1/revoke", "{}", "agent" },
        { "POST", "/api/v1/issuers/dev-intermediate/revoke", """{"certificate":"garbage"}""", "agent" },
        { "POST", "/api/v1/revoke-with-key", """{"certificate":"garbage"}""", "requester" },
        { "POST", "/api/v1/crl/rotate", null, "agent" },
        { "POST", "/api/v1/tidy", null, "agent" },
        { "GET", "/api/v1/tidy-status", null, "agent" },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task A_call_without_a_token_gets_401_problem_with_a_bearer_challenge(string method, string path, string? body, string minimum)
    {
        _ = minimum;
        using var response = await _server.Https().Send(new HttpMethod(method), path, body);
        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task Each_persona_passes_exactly_where_the_table_allows_it(string method, string path, string? body, string minimum)
    {
        var rank = Array.IndexOf(PkiServerFactory.Personas, minimum);
        foreach (var persona in PkiServerFactory.Personas)
        {
            using var response = await _server.Https(persona).Send(new HttpMethod(method), path, body);
            if (Array.IndexOf(PkiServerFactory.Personas, persona) >= rank)
            {
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(
                    response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)response.StatusCode < 500,
                    $"{persona} on {method} {path}: {(int)response.StatusCode} {text}");
            }
            else
            {
                var problem = await Problem.AssertAsync(response, HttpStatusCode.Forbidden, "forbidden");
                Assert.Contains(persona, problem.Str("detail"));
            }
        }
    }

    [Theory]
    [InlineData("Bearer not-a-token-the-server-knows")]
    [InlineData("Bearer ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task A_wrong_or_foreign_credential_gets_401(string authorization)
    {
        var client = _server.Https();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        using var response = await client.GetAsync("/api/v1/roles");
        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task A_token_that_differs_from_a_real_one_in_one_character_is_refused()
    {
        var real = _server.Tokens["operator"];
        var client = _server.Https();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + real[..^1] + (real[^1] == 'a' ? 'b' : 'a'));
        await Problem.AssertAsync(client.GetAsync("/api/v1/custody"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Requester_reads_roles_and_signs_and_issues_under_a_role()
    {
        var requester = _server.Https("requester");
        Assert.Contains("server-tls", (await requester.GetAsync("/api/v1/roles").Ok()).Strings("roles"));
        Assert.Equal("server-tls", (await requester.GetAsync("/api/v1/roles/server-tls").Ok()).Str("name"));

        var signed = await requester.PostJson("/api/v1/sign/server-tls", new { csr = Csrs.Ec("localhost", "localhost") }).Ok();
        Assert.Contains("BEGIN CERTIFICATE", signed.Str("certificate"));
        var issued = await requester.PostJson("/api/v1/issue/server-tls", new { common_name = "localhost" }).Ok();
        Assert.Contains("PRIVATE KEY", issued.Str("private_key"));
    }

    [Fact]
    public async Task Requester_cannot_write_roles_or_generate_roots()
    {
        var requester = _server.Https("requester");
        await Problem.AssertAsync(requester.PutJson("/api/v1/roles/x", new { allowed_domains = new[] { "example.com" } }), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(requester.PostJson("/api/v1/issuers/generate/root", new { name = "requester-root", common_name = "Requester Root" }), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(requester.GetAsync("/api/v1/roles/x"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Agent_writes_roles_but_cannot_generate_roots_or_delete_issuers()
    {
        var agent = _server.Https("agent");
        var role = await agent.PutJson("/api/v1/roles/agent-role", new { allowed_domains = new[] { "agent.example" }, allow_subdomains = true }).Ok();
        Assert.Equal("agent-role", role.Str("name"));
        await Problem.AssertAsync(agent.PostJson("/api/v1/issuers/generate/root", new { name = "agent-root", common_name = "Agent Root" }), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(agent.DeleteAsync("/api/v1/issuers/dev-root"), HttpStatusCode.Forbidden, "forbidden");
        await _server.Https().GetAsync("/api/v1/issuers/dev-root").Ok();
        Assert.DoesNotContain("agent-root", (await agent.GetAsync("/api/v1/issuers").Ok())["issuers"]!.AsArray().Select(i => i!.Str("issuer_name")));
    }

    [Fact]
    public async Task Advanced_chooses_the_issuer_in_the_path_and_requester_may_not()
    {
        var csr = Csrs.Ec("localhost", "localhost");
        var signed = await _server.Https("advanced").PostJson("/api/v1/issuers/dev-intermediate/sign/server-tls", new { csr }).Ok();
        var intermediate = await _server.Https().GetAsync("/api/v1/issuers/dev-intermediate").Ok();
        Assert.Equal(intermediate.Str("issuer_id"), signed.Str("issuer_id"));

        await Problem.AssertAsync(_server.Https("requester").PostJson("/api/v1/issuers/dev-intermediate/sign/server-tls", new { csr }), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(_server.Https("requester").PostJson("/api/v1/issuers/dev-intermediate/issue/server-tls", new { common_name = "localhost" }), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Operator_can_do_everything_the_other_personas_can_and_manage_issuers()
    {
        var op = _server.Https("operator");
        await op.GetAsync("/api/v1/roles").Ok();
        await op.PutJson("/api/v1/roles/operator-role", new { allowed_domains = new[] { "operator.example" }, allow_bare_domains = true }).Ok();
        await op.PostJson("/api/v1/sign/operator-role", new { csr = Csrs.Ec("operator.example") }).Ok();
        await op.PostJson("/api/v1/issuers/dev-intermediate/issue/operator-role", new { common_name = "operator.example" }).Ok();
        await op.GetAsync("/api/v1/config/issuers").Ok();
        await op.GetAsync("/api/v1/custody").Ok();

        var root = await op.PostJson("/api/v1/issuers/generate/root", new { name = "operator-root", common_name = "Operator Root", ttl = "30d" }).Expect(HttpStatusCode.Created);
        await op.Send(HttpMethod.Delete, $"/api/v1/issuers/{root.Str("issuer_id")}").Expect(HttpStatusCode.NoContent);
        await op.Send(HttpMethod.Delete, $"/api/v1/keys/{root.Str("key_id")}").Expect(HttpStatusCode.NoContent);
        await op.Send(HttpMethod.Delete, "/api/v1/roles/operator-role").Expect(HttpStatusCode.NoContent);
    }
}
