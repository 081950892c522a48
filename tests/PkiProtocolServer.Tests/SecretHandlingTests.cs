using System.Text;
using System.Text.Json;
using PkiProtocolServer.Admin.Auth;

namespace PkiProtocolServer.Tests;

/// <summary>Tokens and issued private keys never reach the disk; every state change leaves exactly one audit line.</summary>
public sealed class SecretHandlingTests : IClassFixture<PkiServerFactory>
{
    private readonly PkiServerFactory _server;

    public SecretHandlingTests(PkiServerFactory server)
    {
        _server = server;
    }

    private string AuditPath => _server.DataPath("audit.log");

    [Fact]
    public async Task Every_state_changing_call_writes_one_audit_line_with_actor_operation_and_outcome()
    {
        var op = _server.Https("operator");
        var agent = _server.Https("agent");
        var requester = _server.Https("requester");
        await op.GetAsync("/api/v1/issuers").Ok(); // the server is up and its bootstrap lines are written
        var before = ReadAudit();

        // Reads change nothing and are not audited.
        await requester.GetAsync("/api/v1/roles").Ok();
        await op.GetAsync("/api/v1/keys").Ok();
        Assert.Equal(before.Count, ReadAudit().Count);

        var calls = new (Func<Task<HttpResponseMessage>> Call, HttpStatusCode Status, string Actor, string Operation, string Outcome)[]
        {
            (() => agent.PutJson("/api/v1/roles/audited", new { allowed_domains = new[] { "audit.example" }, allow_bare_domains = true, allow_subdomains = true }), HttpStatusCode.OK, "token:test-agent", "role.write", "success"),
            (() => requester.PostJson("/api/v1/sign/audited", new { csr = Csrs.Ec("a.audit.example") }), HttpStatusCode.OK, "token:test-requester", "certificate.issue", "success"),
            (() => requester.PostJson("/api/v1/issue/audited", new { common_name = "b.audit.example" }), HttpStatusCode.OK, "token:test-requester", "certificate.issue", "success"),
            (() => requester.PostJson("/api/v1/issue/audited", new { common_name = "evil.example.net" }), HttpStatusCode.BadRequest, "token:test-requester", "certificate.issue", "refused"),
            (() => op.PostJson("/api/v1/issuers/generate/root", new { name = "audited-root", common_name = "Audited Root", ttl = "30d" }), HttpStatusCode.Created, "token:test-operator", "issuer.generate_root", "success"),
            (() => op.PatchJson("/api/v1/issuers/audited-root", new { leaf_not_after_behavior = "truncate" }), HttpStatusCode.OK, "token:test-operator", "issuer.update", "success"),
            (() => op.PostJson("/api/v1/issuers/generate/intermediate", new { key_name = "audited-key", common_name = "Audited Intermediate" }), HttpStatusCode.OK, "token:test-operator", "issuer.generate_intermediate", "success"),
            (() => op.PutJson("/api/v1/config/issuers", new { @default = "dev-intermediate" }), HttpStatusCode.OK, "token:test-operator", "issuer.set_default", "success"),
            (() => op.DeleteAsync("/api/v1/issuers/audited-root"), HttpStatusCode.NoContent, "token:test-operator", "issuer.delete", "success"),
            (() => agent.DeleteAsync("/api/v1/roles/audited"), HttpStatusCode.NoContent, "token:test-agent", "role.delete", "success"),
            (() => agent.DeleteAsync("/api/v1/roles/audited"), HttpStatusCode.NotFound, "token:test-agent", "role.delete", "refused"),
        };

        foreach (var (call, status, actor, operation, outcome) in calls)
        {
            var linesBefore = ReadAudit().Count;
            using var response = await call();
            Assert.True(response.StatusCode == status, $"{operation}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var lines = ReadAudit();
            Assert.Equal(linesBefore + 1, lines.Count);
            var line = lines[^1];
            Assert.Equal(actor, line.GetProperty("actor").GetString());
            Assert.Equal(operation, line.GetProperty("operation").GetString());
            Assert.Equal(outcome, line.GetProperty("outcome").GetString());
            Assert.True(line.TryGetProperty("time", out _));
        }

        var issuance = ReadAudit().Where(l => l.GetProperty("operation").GetString() == "certificate.issue" && l.GetProperty("outcome").GetString() == "success").ToList();
        Assert.All(issuance, l => Assert.False(string.IsNullOrEmpty(l.GetProperty("serial").GetString())));
    }

    [Fact]
    public async Task Forbidden_and_unauthenticated_writes_change_nothing_and_write_no_audit_line()
    {
        await _server.Https().GetAsync("/api/v1/issuers").Ok();
        var before = ReadAudit().Count;
        await Problem.AssertAsync(_server.Https("requester").PostJson("/api/v1/issuers/generate/root", new { name = "nope-root", common_name = "Nope" }), HttpStatusCode.Forbidden);
        await Problem.AssertAsync(_server.Https().PutJson("/api/v1/roles/nope", new { }), HttpStatusCode.Unauthorized);
        Assert.Equal(before, ReadAudit().Count);
        await Problem.AssertAsync(_server.Https().GetAsync("/api/v1/issuers/nope-root"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Tokens_and_issued_private_keys_appear_in_no_file_and_the_audit_log_has_no_key_material()
    {
        var issued = await _server.Https("requester").PostJson("/api/v1/issue/server-tls", new { common_name = "localhost", key_type = "rsa" }).Ok();
        var privateKey = issued.Str("private_key");
        Assert.Contains("PRIVATE KEY", privateKey);
        await _server.Https("operator").PostJson("/api/v1/issuers/generate/root", new { name = "secret-root", common_name = "Secret Root", ttl = "1d" }).Expect(HttpStatusCode.Created);
        await _server.Https("agent").PutJson("/api/v1/roles/secret-role", new { allow_localhost = true }).Ok();

        var keyBody = string.Concat(privateKey.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
        var needles = _server.Tokens.Values.Select(t => (What: "token", Bytes: Encoding.UTF8.GetBytes(t)))
            .Append((What: "issued private key", Bytes: Encoding.ASCII.GetBytes(keyBody[..64])))
            .Append((What: "issued private key (DER)", Bytes: Convert.FromBase64String(keyBody)[^48..]))
            .ToList();
        var files = Directory.GetFiles(_server.DataDirectory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("pki.db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = ReadShared(file);
            foreach (var (what, needle) in needles)
            {
                Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{what} found in {file}");
            }
        }

        var audit = Encoding.UTF8.GetString(ReadShared(AuditPath));
        Assert.DoesNotContain("PRIVATE KEY", audit);
        Assert.DoesNotContain("BEGIN", audit);
        Assert.DoesNotContain(PkiServerFactory.SoftwarePassphrase, audit);
        foreach (var token in _server.Tokens.Values)
        {
            Assert.DoesNotContain(token, audit);
            Assert.DoesNotContain(PkiServerFactory.Sha256Hex(token), audit);
        }
    }

    [Fact]
    public async Task A_token_created_with_the_token_verb_is_kept_as_a_hash_and_works_at_once()
    {
        var file = _server.DataPath("admin-tokens.json");
        var token = AdminTokenRegistry.Create(file, "created-agent", Persona.Agent);

        var stored = await File.ReadAllTextAsync(file);
        Assert.DoesNotContain(token, stored);
        Assert.Contains(PkiServerFactory.Sha256Hex(token), stored);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var client = _server.Https();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await client.PutJson("/api/v1/roles/created-by-file-token", new { allow_localhost = true }).Ok();
        await Problem.AssertAsync(client.GetAsync("/api/v1/custody"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("token:created-agent", ReadAudit()[^1].GetProperty("actor").GetString());
    }

    private List<JsonElement> ReadAudit()
    {
        var text = Encoding.UTF8.GetString(ReadShared(AuditPath));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
