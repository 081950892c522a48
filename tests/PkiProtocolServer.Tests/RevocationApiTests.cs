using PkiProtocolServer.Storage.Sqlite;

namespace PkiProtocolServer.Tests;

/// <summary>Revocation through the admin API: by serial, by certificate (BYOC), with proof of the key; CRL rotation and tidy.</summary>
public sealed class RevocationApiTests : IClassFixture<PkiServerFactory>, IAsyncLifetime, IDisposable
{
    private readonly PkiServerFactory _server;
    private readonly HttpClient _agent;
    private readonly HttpClient _requester;
    private readonly Openssl _openssl = new();

    public RevocationApiTests(PkiServerFactory server)
    {
        _server = server;
        _agent = server.Https("agent");
        _requester = server.Https("requester");
    }

    public async Task InitializeAsync()
    {
        await _agent.PutJson("/api/v1/roles/rev", new { allowed_domains = new[] { "rev.example" }, allow_subdomains = true, ttl = "24h" }).Ok();
        await _agent.PutJson("/api/v1/roles/rev-nostore", new { allowed_domains = new[] { "rev.example" }, allow_subdomains = true, ttl = "24h", no_store = true }).Ok();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _openssl.Dispose();

    private Task<JsonNode> IssueAsync(string name, string role = "rev") =>
        _requester.PostJson($"/api/v1/issue/{role}", new { common_name = name + ".rev.example" }).Ok();

    [Fact]
    public async Task An_agent_revokes_by_serial_and_anyone_can_read_the_revocation_with_time_and_reason()
    {
        var leaf = await IssueAsync("serial");
        var serial = leaf.Str("serial_number");

        var revoked = await _agent.PostJson("/api/v1/revoke", new { serial_number = serial.ToUpperInvariant(), reason = "key_compromise", invalidity_date = DateTimeOffset.UtcNow.AddHours(-3) }).Ok();

        Assert.Equal(serial, revoked.Str("serial_number"));
        Assert.Equal("revoked", revoked.Str("state"));
        Assert.Equal("key_compromise", revoked.Str("reason"));
        Assert.Equal(1, revoked["reason_code"]!.GetValue<int>());
        Assert.InRange(revoked["revocation_time"]!.GetValue<long>(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var read = await _server.Https().GetAsync($"/api/v1/revoked/{serial}").Ok();
        Assert.Equal(revoked.Str("revocation_time_rfc3339"), read.Str("revocation_time_rfc3339"));
        Assert.NotNull(read["invalidity_date"]);
    }

    [Fact]
    public async Task The_revocation_is_in_the_database_file_when_the_200_arrives()
    {
        var serial = (await IssueAsync("durable")).Str("serial_number");

        await _agent.PostJson("/api/v1/revoke", new { serial_number = serial }).Ok();

        // A second connection pool on the same file (as another process would open it) sees the committed row.
        using var other = SqliteStores.Open(new SqliteStoreOptions { DatabasePath = _server.DataPath("pki.db") });
        Assert.NotNull(await other.Revocations.GetAsync(serial, CancellationToken.None));
    }

    [Fact]
    public async Task Revoking_twice_is_a_409_already_revoked_problem()
    {
        var serial = (await IssueAsync("twice")).Str("serial_number");
        await _agent.PostJson("/api/v1/revoke", new { serial_number = serial, reason = "superseded" }).Ok();

        var problem = await Problem.AssertAsync(_agent.PostJson("/api/v1/revoke", new { serial_number = serial }), HttpStatusCode.Conflict, "already-revoked");

        Assert.Contains("superseded", problem.Str("detail"));
    }

    [Fact]
    public async Task Revoking_a_serial_never_issued_here_is_a_404_problem()
    {
        await Problem.AssertAsync(_agent.PostJson("/api/v1/revoke", new { serial_number = "7f0011223344556677" }), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(_server.Https().GetAsync("/api/v1/revoked/7f0011223344556677"), HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"serial_number":"01","certificate":"x"}""")]
    [InlineData("""{"serial_number":"zz-not-hex"}""")]
    [InlineData("""{"serial_number":"01","reason":"certificate_hold"}""")]
    [InlineData("""{"serial_number":"01","reason":"no_such_reason"}""")]
    [InlineData("""{"serial_number":"01","reason":1}""")]
    [InlineData("""{"certificate":"not a certificate"}""")]
    public async Task Malformed_revocation_requests_are_400_problems(string body)
    {
        await Problem.AssertAsync(_agent.Send(HttpMethod.Post, "/api/v1/revoke", body), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_no_store_certificate_is_revoked_by_giving_the_certificate_to_revoke_or_to_its_issuer()
    {
        var first = await IssueAsync("byoc1", "rev-nostore");
        var second = await IssueAsync("byoc2", "rev-nostore");
        Assert.False(first["stored"]!.GetValue<bool>());

        await Problem.AssertAsync(_agent.PostJson("/api/v1/revoke", new { serial_number = first.Str("serial_number") }), HttpStatusCode.NotFound);
        var byCertificate = await _agent.PostJson("/api/v1/revoke", new { certificate = first.Str("certificate"), reason = "key_compromise" }).Ok();
        var byIssuer = await _agent.PostJson($"/api/v1/issuers/{second.Str("issuer_id")}/revoke", new { certificate = second.Str("certificate") }).Ok();

        Assert.Equal(first.Str("serial_number"), byCertificate.Str("serial_number"));
        Assert.Equal(second.Str("issuer_id"), byIssuer.Str("issuer_id"));
        await Problem.AssertAsync(_agent.PostJson("/api/v1/issuers/dev-root/revoke", new { certificate = (await IssueAsync("byoc3", "rev-nostore")).Str("certificate") }), HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task A_requester_revokes_with_the_private_key_it_holds_and_not_with_another()
    {
        var leaf = await IssueAsync("withkey");
        var other = await IssueAsync("otherkey");

        await Problem.AssertAsync(_requester.PostJson("/api/v1/revoke-with-key", new { certificate = leaf.Str("certificate"), private_key = other.Str("private_key") }), HttpStatusCode.Forbidden, "forbidden");
        var revoked = await _requester.PostJson("/api/v1/revoke-with-key", new { certificate = leaf.Str("certificate"), private_key = leaf.Str("private_key"), reason = "keyCompromise" }).Ok();

        Assert.Equal("key_compromise", revoked.Str("reason"));
        await Problem.AssertAsync(_requester.PostJson("/api/v1/revoke", new { serial_number = other.Str("serial_number") }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_requester_revokes_with_a_signature_made_by_openssl_with_the_certificates_key()
    {
        var leaf = await IssueAsync("signed");
        var serial = leaf.Str("serial_number");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var key = _openssl.File("signed.key", leaf.Str("private_key"));
        var statement = _openssl.File("statement.txt", $"pkiprotocolserver-revoke:{serial}:{now}");
        _openssl.RunOk("dgst", "-sha256", "-sign", key, "-out", _openssl.PathOf("statement.sig"), statement);
        var signature = Convert.ToBase64String(await File.ReadAllBytesAsync(_openssl.PathOf("statement.sig")));

        await Problem.AssertAsync(_requester.PostJson("/api/v1/revoke-with-key", new { certificate = leaf.Str("certificate"), signature, signed_at = now + 1 }), HttpStatusCode.Forbidden);
        await _requester.PostJson("/api/v1/revoke-with-key", new { certificate = leaf.Str("certificate"), signature, signed_at = now }).Ok();
        await Problem.AssertAsync(_requester.PostJson("/api/v1/revoke-with-key", new { certificate = leaf.Str("certificate"), signature, signed_at = now }), HttpStatusCode.Conflict, "already-revoked");
    }

    [Fact]
    public async Task Crl_rotate_publishes_new_crls_with_higher_numbers_and_the_list_shows_them()
    {
        var before = (await _server.Https().GetAsync("/api/v1/crls").Ok())["crls"]!.AsArray();

        var rotated = (await _agent.PostJson("/api/v1/crl/rotate", new { }).Ok())["crls"]!.AsArray();

        Assert.Contains(rotated, c => !c!["delta"]!.GetValue<bool>());
        Assert.Contains(rotated, c => c!["delta"]!.GetValue<bool>() && c["base_crl_number"] is not null);
        var listed = (await _server.Https().GetAsync("/api/v1/crls").Ok())["crls"]!.AsArray();
        foreach (var crl in rotated.Select(c => c!))
        {
            var previous = before.FirstOrDefault(b => b!.Str("issuer_id") == crl.Str("issuer_id") && b!["delta"]!.GetValue<bool>() == crl["delta"]!.GetValue<bool>());
            Assert.True(previous is null || previous["crl_number"]!.GetValue<long>() < crl["crl_number"]!.GetValue<long>());
            Assert.Contains(listed, l => l!["crl_number"]!.GetValue<long>() >= crl["crl_number"]!.GetValue<long>() && l.Str("issuer_id") == crl.Str("issuer_id"));
        }
    }

    [Fact]
    public async Task Tidy_runs_on_demand_reports_what_it_removed_and_tidy_status_shows_the_last_run()
    {
        var report = await _agent.PostJson("/api/v1/tidy", new { safety_buffer = "72h" }).Ok();

        Assert.Equal("3d", report.Str("safety_buffer"));
        Assert.NotNull(report["certificates_removed"]);
        Assert.NotNull(report["revocations_removed"]);
        var status = await _agent.GetAsync("/api/v1/tidy-status").Ok();
        Assert.Equal(report.Str("finished_at"), status["last_run"]!.Str("finished_at"));
        Assert.True(status["schedule"]!["enabled"]!.GetValue<bool>());
        await Problem.AssertAsync(_agent.PostJson("/api/v1/tidy", new { safety_buffer = "soon" }), HttpStatusCode.BadRequest, "malformed");
        await _agent.Send(HttpMethod.Post, "/api/v1/tidy").Ok();
    }
}
