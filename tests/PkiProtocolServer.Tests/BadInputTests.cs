using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PkiProtocolServer.Tests;

/// <summary>
/// Bad input never gets a 500: every write endpoint answers malformed, unknown, missing, mistyped and
/// semantically wrong input with a 4xx RFC 9457 problem that says what is wrong.
/// </summary>
public sealed class BadInputTests : IClassFixture<PkiServerFactory>
{
    private readonly PkiServerFactory _server;

    public BadInputTests(PkiServerFactory server)
    {
        _server = server;
    }

    /// <summary>A request to send, with the status it must get (0 = any 4xx).</summary>
    public sealed record Case(string Method, string Path, Func<string?> Body, int Status = 0, string ContentType = "application/json");

    /// <summary>Every write endpoint with a body of the right shape; the generic cases below are derived from these.</summary>
    private static readonly (string Method, string Path, JsonObject Body, string[] Required)[] WriteEndpoints =
    [
        ("POST", "/api/v1/issuers/generate/root", Obj("""{"name":"bad-input-root","common_name":"Bad Input Root","custody":"software","key_type":"ec","key_bits":0,"organization":[],"ttl":"1d","max_path_length":-1,"permitted_dns_domains":[],"make_default":false,"settings":{"leaf_not_after_behavior":"err","usage":["issuing"]}}"""), ["name", "common_name"]),
        ("POST", "/api/v1/issuers/generate/intermediate", Obj("""{"key_name":"bad-input-key","common_name":"Bad Input Intermediate","key_type":"ec","key_bits":0,"ou":[]}"""), ["key_name", "common_name"]),
        ("POST", "/api/v1/issuers/dev-root/sign-intermediate", Obj("""{"csr":"x","common_name":"Sub","ttl":"1d","max_path_length":0,"permitted_dns_domains":[]}"""), ["csr"]),
        ("POST", "/api/v1/issuers/import", Obj("""{"pem_bundle":"x","name":"n"}"""), ["pem_bundle"]),
        ("POST", "/api/v1/intermediate/set-signed", Obj("""{"pem_bundle":"x","name":"n"}"""), ["pem_bundle"]),
        ("PATCH", "/api/v1/issuers/dev-root", Obj("""{"issuer_name":"dev-root","leaf_not_after_behavior":"err","usage":["issuing"],"issuing_certificates":[],"manual_chain":[]}"""), []),
        ("PUT", "/api/v1/config/issuers", Obj("""{"default":"dev-intermediate"}"""), ["default"]),
        ("PUT", "/api/v1/roles/bad-input-role", Obj("""{"allowed_domains":["example.com"],"allow_subdomains":true,"key_bits":0,"ttl":"1h","max_ttl":"2h","no_store":false,"key_usage":["DigitalSignature"]}"""), []),
        ("POST", "/api/v1/roles/bad-input-role", Obj("""{"allowed_domains":["example.com"],"allow_subdomains":true,"key_bits":0,"ttl":"1h","max_ttl":"2h","no_store":false,"key_usage":["DigitalSignature"]}"""), []),
        ("POST", "/api/v1/sign/server-tls", Obj("""{"csr":"x","ttl":"1h"}"""), ["csr"]),
        ("POST", "/api/v1/issuers/dev-intermediate/sign/server-tls", Obj("""{"csr":"x","ttl":"1h"}"""), ["csr"]),
        ("POST", "/api/v1/issue/server-tls", Obj("""{"common_name":"localhost","alt_names":[],"ip_sans":[],"uri_sans":[],"ttl":"1h","key_type":"ec","key_bits":0}"""), []),
        ("POST", "/api/v1/issuers/dev-intermediate/issue/server-tls", Obj("""{"common_name":"localhost","alt_names":[],"ip_sans":[],"uri_sans":[],"ttl":"1h","key_type":"ec","key_bits":0}"""), []),
    ];

    public static readonly IReadOnlyDictionary<string, Case> Cases = BuildCases();

    public static TheoryData<string> CaseNames => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_input_gets_a_4xx_problem_that_says_what_is_wrong(string name)
    {
        var @case = Cases[name];
        var request = new HttpRequestMessage(new HttpMethod(@case.Method), @case.Path);
        if (@case.Body() is { } body)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(@case.ContentType);
        }

        using var response = await _server.Https("operator").SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{name}: {(int)response.StatusCode} {text}");
        if (@case.Status != 0)
        {
            Assert.True((int)response.StatusCode == @case.Status, $"{name}: expected {@case.Status}, got {(int)response.StatusCode} {text}");
        }

        await Problem.AssertAsync(response, response.StatusCode);
    }

    public static TheoryData<string, string, string> NullFields()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (method, path, body, _) in WriteEndpoints)
        {
            foreach (var (field, _) in body)
            {
                data.Add(method, path, With(body, field, null));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NullFields))]
    public async Task A_null_in_any_field_is_refused_or_taken_as_absent_but_never_a_500(string method, string path, string body)
    {
        using var response = await _server.Https("operator").Send(new HttpMethod(method), path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} {text}");
        if ((int)response.StatusCode >= 400)
        {
            await Problem.AssertAsync(response, response.StatusCode);
        }
    }

    [Fact]
    public async Task An_oversize_body_is_refused_with_413_before_it_is_read()
    {
        var huge = "{\"csr\":\"" + new string('A', 2 * 1024 * 1024) + "\"}";
        var problem = await Problem.AssertAsync(_server.Https("operator").Send(HttpMethod.Post, "/api/v1/sign/server-tls", huge), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("large", problem.Str("detail"));
    }

    [Fact]
    public async Task Failed_writes_leave_no_half_written_state()
    {
        var op = _server.Https("operator");
        var issuersBefore = (await op.GetAsync("/api/v1/issuers").Ok())["issuers"]!.AsArray().Count;
        var keysBefore = (await op.GetAsync("/api/v1/keys").Ok())["keys"]!.AsArray().Count;
        var rolesBefore = (await op.GetAsync("/api/v1/roles").Ok()).Strings("roles");
        var keyFilesBefore = Directory.GetFiles(_server.DataPath("keys")).Order().ToList();

        await Problem.AssertAsync(op.PostJson("/api/v1/issuers/generate/root", new { name = "dev-root", common_name = "Duplicate" }), HttpStatusCode.Conflict, "conflict");
        await Problem.AssertAsync(op.PostJson("/api/v1/issuers/generate/root", new { name = "half-root", common_name = "Half", settings = new { issuing_certificates = new[] { "not a url" } } }), HttpStatusCode.BadRequest);
        await Problem.AssertAsync(op.PostJson("/api/v1/issuers/generate/root", new { name = "half-root", common_name = "Half", permitted_dns_domains = new[] { "not a domain" } }), HttpStatusCode.BadRequest);
        await Problem.AssertAsync(op.PutJson("/api/v1/roles/half-role", new { ttl = "2h", max_ttl = "1h" }), HttpStatusCode.BadRequest);

        Assert.Equal(issuersBefore, (await op.GetAsync("/api/v1/issuers").Ok())["issuers"]!.AsArray().Count);
        Assert.Equal(keysBefore, (await op.GetAsync("/api/v1/keys").Ok())["keys"]!.AsArray().Count);
        Assert.Equal(rolesBefore, (await op.GetAsync("/api/v1/roles").Ok()).Strings("roles"));
        Assert.Equal(keyFilesBefore, Directory.GetFiles(_server.DataPath("keys")).Order().ToList());
    }

    [Fact]
    public async Task A_role_naming_an_unknown_issuer_is_stored_but_issuing_under_it_is_404()
    {
        await _server.Https("agent").PutJson("/api/v1/roles/orphan-role", new { issuer_ref = "no-such-issuer", allow_localhost = true }).Ok();
        await Problem.AssertAsync(_server.Https("requester").PostJson("/api/v1/issue/orphan-role", new { common_name = "localhost" }), HttpStatusCode.NotFound, "not-found");
    }

    private static Dictionary<string, Case> BuildCases()
    {
        var cases = new Dictionary<string, Case>(StringComparer.Ordinal);
        void Add(string name, string method, string path, string? body, int status = 0, string contentType = "application/json") =>
            cases.Add(name, new Case(method, path, () => body, status, contentType));
        void AddLazy(string name, string method, string path, Func<string?> body, int status = 0) =>
            cases.Add(name, new Case(method, path, body, status));

        // Generic shape errors on every write endpoint.
        foreach (var (method, path, body, required) in WriteEndpoints)
        {
            var at = $"{method} {path}";
            Add($"{at}: malformed JSON", method, path, body.ToJsonString()[..^3], 400);
            Add($"{at}: a JSON array", method, path, "[]", 400);
            Add($"{at}: a JSON string", method, path, "\"text\"", 400);
            Add($"{at}: JSON null", method, path, "null", 400);
            Add($"{at}: no body", method, path, null, 400);
            Add($"{at}: not JSON content", method, path, body.ToJsonString(), 415, "text/plain");
            Add($"{at}: an unknown field", method, path, With(body, "bogus_field", JsonValue.Create(1)), 400);
            Add($"{at}: a JSON comment", method, path, "/* hi */" + body.ToJsonString(), 400);
            Add($"{at}: a duplicated field", method, path, body.ToJsonString()[..^1] + "," + body.ToJsonString()[1..], 400);
            if (required.Length > 0)
            {
                Add($"{at}: an empty object", method, path, "{}", 400);
            }

            foreach (var field in required)
            {
                Add($"{at}: missing {field}", method, path, Without(body, field), 400);
                Add($"{at}: null {field}", method, path, With(body, field, null), 400);
            }

            foreach (var (field, value) in body)
            {
                JsonNode wrong = value!.GetValueKind() switch
                {
                    JsonValueKind.String => JsonValue.Create(12345),
                    JsonValueKind.Number => JsonValue.Create("twelve"),
                    JsonValueKind.True or JsonValueKind.False => JsonValue.Create("yes"),
                    JsonValueKind.Array => JsonValue.Create("not-a-list"),
                    _ => new JsonArray(),
                };
                Add($"{at}: {field} of the wrong type", method, path, With(body, field, wrong), 400);
            }
        }

        // CSRs a CA must not sign, on each endpoint that takes one.
        foreach (var path in new[] { "/api/v1/sign/server-tls", "/api/v1/issuers/dev-intermediate/sign/server-tls", "/api/v1/issuers/dev-root/sign-intermediate" })
        {
            string Csr(string csr) => JsonSerializer.Serialize(new { csr });
            Add($"{path}: garbage CSR", "POST", path, Csr("garbage"), 400);
            Add($"{path}: empty CSR", "POST", path, Csr(""), 400);
            Add($"{path}: CSR of bad base64", "POST", path, Csr("abc$%^&*"), 400);
            Add($"{path}: PEM CSR of bad base64", "POST", path, Csr("-----BEGIN CERTIFICATE REQUEST-----\n@@@@not base64@@@@\n-----END CERTIFICATE REQUEST-----\n"), 400);
            Add($"{path}: base64 that is not DER", "POST", path, Csr(Convert.ToBase64String(Encoding.ASCII.GetBytes("hello world"))), 400);
            Add($"{path}: text that looks like DER", "POST", path, Csr("0abc"), 400);
            Add($"{path}: truncated DER", "POST", path, Csr(Convert.ToBase64String(Convert.FromBase64String(Body(Csrs.Ec("localhost")))[..40])), 400);
            Add($"{path}: a certificate instead of a CSR", "POST", path, Csr(PemEncoding.WriteString("CERTIFICATE", RandomNumberGenerator.GetBytes(64))), 400);
            AddLazy($"{path}: two CSRs in one PEM", "POST", path, () => Csr(Csrs.Ec("localhost") + Csrs.Ec("localhost")), 400);
            AddLazy($"{path}: CSR with a tampered signature", "POST", path, () => Csr(Csrs.TamperedSignature("www.localhost")), 400);
            AddLazy($"{path}: CSR with a tampered subject", "POST", path, () => Csr(Csrs.TamperedSubject("www.localhost")), 400);
            AddLazy($"{path}: CSR signed with SHA-1", "POST", path, () =>
            {
                using var openssl = new Openssl();
                return Csr(openssl.Sha1Csr("localhost"));
            }, 400);
            AddLazy($"{path}: CSR with an RSA 1024 key", "POST", path, () => Csr(Csrs.Rsa(1024, "localhost")), 400);
            AddLazy($"{path}: bad ttl", "POST", path, () => JsonSerializer.Serialize(new { csr = Csrs.Ec("localhost"), ttl = "forever" }), 400);
            AddLazy($"{path}: negative ttl", "POST", path, () => JsonSerializer.Serialize(new { csr = Csrs.Ec("localhost"), ttl = "-5m" }), 400);
            AddLazy($"{path}: ttl with an unknown unit", "POST", path, () => JsonSerializer.Serialize(new { csr = Csrs.Ec("localhost"), ttl = "5w" }), 400);
        }

        // Unknown names in the path.
        AddLazy("sign under an unknown role", "POST", "/api/v1/sign/no-such-role", () => JsonSerializer.Serialize(new { csr = Csrs.Ec("localhost") }), 404);
        Add("issue under an unknown role", "POST", "/api/v1/issue/no-such-role", """{"common_name":"localhost"}""", 404);
        AddLazy("sign with an unknown issuer", "POST", "/api/v1/issuers/no-such-issuer/sign/server-tls", () => JsonSerializer.Serialize(new { csr = Csrs.Ec("localhost") }), 404);
        Add("issue with an unknown issuer", "POST", "/api/v1/issuers/no-such-issuer/issue/server-tls", """{"common_name":"localhost"}""", 404);
        AddLazy("sign-intermediate with an unknown issuer", "POST", "/api/v1/issuers/no-such-issuer/sign-intermediate", () => JsonSerializer.Serialize(new { csr = Csrs.Ec("Sub CA") }), 404);
        Add("csr for an unknown issuer", "POST", "/api/v1/issuers/no-such-issuer/csr", null, 404);
        Add("patch an unknown issuer", "PATCH", "/api/v1/issuers/no-such-issuer", """{"usage":["issuing"]}""", 404);
        Add("delete an unknown issuer", "DELETE", "/api/v1/issuers/no-such-issuer", null, 404);
        Add("default to an unknown issuer", "PUT", "/api/v1/config/issuers", """{"default":"no-such-issuer"}""", 404);
        Add("read an unknown issuer", "GET", "/api/v1/issuers/no-such-issuer", null, 404);
        Add("read an unknown issuer's der", "GET", "/issuers/no-such-issuer.der", null, 404);
        Add("read an unknown role", "GET", "/api/v1/roles/no-such-role", null, 404);
        Add("delete an unknown role", "DELETE", "/api/v1/roles/no-such-role", null, 404);
        Add("read an unknown key", "GET", "/api/v1/keys/no-such-key", null, 404);
        Add("delete an unknown key", "DELETE", "/api/v1/keys/no-such-key", null, 404);
        Add("an unknown path", "GET", "/api/v1/nothing-here", null, 404);
        Add("a method the path does not serve", "DELETE", "/api/v1/issuers", null, 405);

        // Serial numbers and paging.
        Add("certificate serial that is not hex", "GET", "/api/v1/certs/not-a-serial", null, 400);
        Add("certificate pem by a serial that is not hex", "GET", "/api/v1/certs/xyz/pem", null, 400);
        Add("certificate der by a serial that is too long", "GET", "/api/v1/certs/" + new string('a', 64) + "/der", null, 400);
        Add("certificate serial that was never issued", "GET", "/api/v1/certs/0123456789abcdef", null, 404);
        Add("certificate list after a serial that is not hex", "GET", "/api/v1/certs?after=zz", null, 400);
        Add("certificate list with a limit that is not a number", "GET", "/api/v1/certs?limit=many", null, 400);

        // Durations.
        Add("root with ttl forever", "POST", "/api/v1/issuers/generate/root", """{"name":"ttl-root","common_name":"T","ttl":"forever"}""", 400);
        Add("root with ttl zero", "POST", "/api/v1/issuers/generate/root", """{"name":"ttl-root","common_name":"T","ttl":"0"}""", 400);
        Add("root with an empty ttl", "POST", "/api/v1/issuers/generate/root", """{"name":"ttl-root","common_name":"T","ttl":" "}""", 400);
        Add("root with a ttl number too large", "POST", "/api/v1/issuers/generate/root", """{"name":"ttl-root","common_name":"T","ttl":"99999999999999999999999d"}""", 400);
        Add("issue with ttl forever", "POST", "/api/v1/issue/server-tls", """{"common_name":"localhost","ttl":"forever"}""", 400);
        Add("role with ttl forever", "PUT", "/api/v1/roles/ttl-role", """{"ttl":"forever"}""", 400);
        Add("role with max_ttl forever", "PUT", "/api/v1/roles/ttl-role", """{"max_ttl":"forever"}""", 400);
        Add("role with not_before_duration forever", "PUT", "/api/v1/roles/ttl-role", """{"not_before_duration":"forever"}""", 400);
        Add("role with ttl above max_ttl", "PUT", "/api/v1/roles/ttl-role", """{"ttl":"10d","max_ttl":"1d"}""", 400);
        Add("role with a not_before_duration of two days", "PUT", "/api/v1/roles/ttl-role", """{"not_before_duration":"2d"}""", 400);
        Add("root with a ttl of a million years", "POST", "/api/v1/issuers/generate/root", """{"name":"ttl-root","common_name":"T","ttl":"1000000y"}""", 400);
        Add("root with a ttl of twenty thousand years", "POST", "/api/v1/issuers/generate/root", """{"name":"ttl-root","common_name":"T","ttl":"20000y"}""", 400);
        Add("role with a ttl summing past the maximum", "PUT", "/api/v1/roles/ttl-role", """{"ttl":"999999d999999d999999d","max_ttl":"1d"}""", 400);
        Add("role with max_ttl of twenty thousand years", "PUT", "/api/v1/roles/ttl-role", """{"max_ttl":"20000y"}""", 400);
        Add("issue with a zero ttl", "POST", "/api/v1/issue/server-tls", """{"common_name":"localhost","ttl":"0"}""", 400);
        Add("root with an empty organization", "POST", "/api/v1/issuers/generate/root", """{"name":"dn-root","common_name":"D","organization":[""]}""", 400);
        Add("root with a three-letter country", "POST", "/api/v1/issuers/generate/root", """{"name":"dn-root","common_name":"D","country":["USA"]}""", 400);
        Add("intermediate with a three-letter country", "POST", "/api/v1/issuers/generate/intermediate", """{"key_name":"dn-key","common_name":"D","country":["USA"]}""", 400);
        Add("root with a NUL in the common name", "POST", "/api/v1/issuers/generate/root", """{"name":"dn-root","common_name":"a\u0000b"}""", 400);
        Add("role with a three-letter country", "PUT", "/api/v1/roles/dn-role", """{"country":["USA"]}""", 400);
        Add("manual chain naming an issuer twice", "PATCH", "/api/v1/issuers/dev-root", """{"manual_chain":["dev-root","dev-root"]}""", 400);
        Add("sign-intermediate with ttl forever", "POST", "/api/v1/issuers/dev-root/sign-intermediate", JsonSerializer.Serialize(new { csr = "x", ttl = "forever" }), 400);

        // Key types and sizes.
        Add("root with key_type dsa", "POST", "/api/v1/issuers/generate/root", """{"name":"kt-root","common_name":"K","key_type":"dsa"}""", 400);
        Add("root with rsa 1024", "POST", "/api/v1/issuers/generate/root", """{"name":"kt-root","common_name":"K","key_type":"rsa","key_bits":1024}""", 400);
        Add("root with ec 521", "POST", "/api/v1/issuers/generate/root", """{"name":"kt-root","common_name":"K","key_type":"ec","key_bits":521}""", 400);
        Add("root with ed25519 bits", "POST", "/api/v1/issuers/generate/root", """{"name":"kt-root","common_name":"K","key_type":"ed25519","key_bits":448}""", 400);
        Add("root with a key_bits that overflows", "POST", "/api/v1/issuers/generate/root", """{"name":"kt-root","common_name":"K","key_bits":99999999999}""", 400);
        Add("root with an unknown custody", "POST", "/api/v1/issuers/generate/root", """{"name":"kt-root","common_name":"K","custody":"cloud-magic"}""", 400);
        Add("root with a key_ref that is nothing", "POST", "/api/v1/issuers/generate/root", """{"name":"kt-root","common_name":"K","key_ref":"nothing"}""", 0);
        Add("root with a key_ref of no key", "POST", "/api/v1/issuers/generate/root", """{"name":"kt-root","common_name":"K","key_ref":"software:no-such-key"}""", 0);
        Add("intermediate with key_type dsa", "POST", "/api/v1/issuers/generate/intermediate", """{"key_name":"kt-key","common_name":"K","key_type":"dsa"}""", 400);
        Add("issue with key_type dsa", "POST", "/api/v1/issue/server-tls", """{"common_name":"localhost","key_type":"dsa"}""", 400);
        Add("issue with rsa 1024", "POST", "/api/v1/issue/server-tls", """{"common_name":"localhost","key_type":"rsa","key_bits":1024}""", 400);
        Add("role with key_type dsa", "PUT", "/api/v1/roles/kt-role", """{"key_type":"dsa"}""", 400);
        Add("role with key_bits 1000", "PUT", "/api/v1/roles/kt-role", """{"key_type":"rsa","key_bits":1000}""", 400);
        Add("role with negative key_bits", "PUT", "/api/v1/roles/kt-role", """{"key_bits":-1}""", 400);

        // Names and values.
        Add("root named default", "POST", "/api/v1/issuers/generate/root", """{"name":"default","common_name":"D"}""", 400);
        Add("root with a name of spaces", "POST", "/api/v1/issuers/generate/root", """{"name":"bad name!","common_name":"D"}""", 400);
        Add("root with an empty common name", "POST", "/api/v1/issuers/generate/root", """{"name":"cn-root","common_name":"  "}""", 400);
        Add("root with the name of an existing issuer", "POST", "/api/v1/issuers/generate/root", """{"name":"dev-root","common_name":"D"}""", 409);
        Add("root with a bad permitted domain", "POST", "/api/v1/issuers/generate/root", """{"name":"pd-root","common_name":"D","permitted_dns_domains":["not a domain"]}""", 400);
        Add("root with an unknown usage", "POST", "/api/v1/issuers/generate/root", """{"name":"u-root","common_name":"D","settings":{"usage":["signing"]}}""", 400);
        Add("root with an unknown leaf_not_after_behavior", "POST", "/api/v1/issuers/generate/root", """{"name":"u-root","common_name":"D","settings":{"leaf_not_after_behavior":"maybe"}}""", 400);
        Add("root with an AIA url that is not a url", "POST", "/api/v1/issuers/generate/root", """{"name":"u-root","common_name":"D","settings":{"issuing_certificates":["ftp:/x"]}}""", 400);
        Add("intermediate key named like an existing key", "POST", "/api/v1/issuers/generate/intermediate", """{"key_name":"dev-intermediate","common_name":"D"}""", 409);
        Add("role with a name of spaces", "PUT", "/api/v1/roles/bad%20name!", "{}", 400);
        Add("role with a wildcard domain without globs", "PUT", "/api/v1/roles/glob-role", """{"allowed_domains":["web*.example.com"]}""", 400);
        Add("role with an unknown key usage", "PUT", "/api/v1/roles/ku-role", """{"key_usage":["Everything"]}""", 400);
        Add("role with an unknown extended key usage", "PUT", "/api/v1/roles/eku-role", """{"ext_key_usage":["Everything"]}""", 400);
        Add("role with an extended key usage oid that is not an oid", "PUT", "/api/v1/roles/eku-role", """{"ext_key_usage_oids":["1.x.3"]}""", 400);
        Add("role with a policy identifier that is not an oid", "PUT", "/api/v1/roles/pi-role", """{"policy_identifiers":["policy"]}""", 400);
        Add("role with an empty issuer_ref", "PUT", "/api/v1/roles/ir-role", """{"issuer_ref":" "}""", 400);
        Add("issue naming nothing", "POST", "/api/v1/issue/server-tls", """{"common_name":""}""", 400);
        Add("issue with an ip san that is not an ip", "POST", "/api/v1/issue/server-tls", """{"common_name":"localhost","ip_sans":["10.0.0.300"]}""", 400);
        Add("issue with a uri san that is not absolute", "POST", "/api/v1/issue/server-tls", """{"common_name":"localhost","uri_sans":["relative/path"]}""", 400);
        Add("issue with a name that is not a hostname", "POST", "/api/v1/issue/server-tls", """{"common_name":"bad_host name"}""", 400);
        Add("issue with a unicode name", "POST", "/api/v1/issue/server-tls", """{"common_name":"bücher.localhost"}""", 400);
        Add("patch with an unknown usage", "PATCH", "/api/v1/issuers/dev-root", """{"usage":["signing"]}""", 400);
        Add("patch with an unknown leaf_not_after_behavior", "PATCH", "/api/v1/issuers/dev-root", """{"leaf_not_after_behavior":"maybe"}""", 400);
        Add("patch with a name of spaces", "PATCH", "/api/v1/issuers/dev-root", """{"issuer_name":"bad name!"}""", 400);
        Add("patch with an AIA url that is not a url", "PATCH", "/api/v1/issuers/dev-root", """{"issuing_certificates":["not a url"]}""", 400);
        Add("patch with a manual chain of an unknown issuer", "PATCH", "/api/v1/issuers/dev-root", """{"manual_chain":["dev-root","no-such-issuer"]}""", 404);
        Add("patch with a manual chain not starting with itself", "PATCH", "/api/v1/issuers/dev-root", """{"manual_chain":["dev-intermediate"]}""", 400);
        Add("import a bundle without certificates", "POST", "/api/v1/issuers/import", """{"pem_bundle":"hello"}""", 400);
        Add("import a PEM certificate of bad base64", "POST", "/api/v1/issuers/import", """{"pem_bundle":"-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----\n"}""", 400);
        Add("import a PEM certificate that is not DER", "POST", "/api/v1/issuers/import", JsonSerializer.Serialize(new { pem_bundle = PemEncoding.WriteString("CERTIFICATE", RandomNumberGenerator.GetBytes(100)) }), 400);
        Add("import with a name of spaces", "POST", "/api/v1/issuers/import", JsonSerializer.Serialize(new { pem_bundle = PemEncoding.WriteString("CERTIFICATE", [0x30, 0x00]), name = "bad name!" }), 400);
        Add("sign-intermediate of a CSR without a subject", "POST", "/api/v1/issuers/dev-root/sign-intermediate", JsonSerializer.Serialize(new { csr = EmptySubjectCsr() }), 400);
        return cases;
    }

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static string With(JsonObject body, string field, JsonNode? value)
    {
        var copy = body.DeepClone().AsObject();
        copy[field] = value;
        return copy.ToJsonString();
    }

    private static string Without(JsonObject body, string field)
    {
        var copy = body.DeepClone().AsObject();
        copy.Remove(field);
        return copy.ToJsonString();
    }

    private static string Body(string pem) => string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));

    private static string EmptySubjectCsr()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new System.Security.Cryptography.X509Certificates.CertificateRequest(new System.Security.Cryptography.X509Certificates.X500DistinguishedName(""), key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
    }
}
