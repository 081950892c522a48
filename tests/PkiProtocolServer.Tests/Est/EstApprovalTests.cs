namespace PkiProtocolServer.Tests.Est;

/// <summary>Manual approval (RFC 7030 4.2.3): 202 + Retry-After until an operator decides; the next poll gets the answer.</summary>
public sealed class EstApprovalTests : IClassFixture<EstServerFixture>
{
    private const string Enroll = "/.well-known/est/approval/simpleenroll";
    private readonly EstServerFixture _fixture;

    public EstApprovalTests(EstServerFixture fixture)
    {
        _fixture = fixture;
    }

    private PkiServerFactory Server => _fixture.Server;

    private (string, string) Line1 => ("line-1", _fixture.ApprovalPassword);

    private async Task<JsonNode> PendingFor(string commonName)
    {
        using var agent = Server.Https("agent");
        var list = await agent.GetAsync("/api/v1/est/enrollments?state=pending").Ok();
        return list["enrollments"]!.AsArray().Single(e => e!["common_name"]!.GetValue<string>() == commonName)!;
    }

    [Fact]
    public async Task An_enrollment_waits_with_202_and_retry_after_until_approved_then_the_poll_gets_the_certificate()
    {
        using var device = new DeviceKey();
        var csr = device.Csr("CN=held-device-1");

        var first = await Server.EnrollAsync(csr, Enroll, Line1);
        var second = await Server.EnrollAsync(csr, Enroll, Line1);

        foreach (var pending in new[] { first, second })
        {
            Assert.Equal(202, pending.Status);
            Assert.Equal("7", pending.Headers.RetryAfter.ToString());
        }

        var held = await PendingFor("held-device-1");
        Assert.Equal("approval", held.Str("label"));
        Assert.Equal("est:approval/user:line-1", held.Str("requester"));
        Assert.Contains("BEGIN CERTIFICATE REQUEST", held.Str("csr"));

        using var agent = Server.Https("agent");
        var approved = await agent.PostAsync($"/api/v1/est/enrollments/{held.Str("id")}/approve", null).Ok();
        Assert.Equal("approved", approved.Str("state"));
        Assert.Equal("token:test-agent", approved.Str("decided_by"));

        var issued = await Server.EnrollAsync(csr, Enroll, Line1);
        var certificate = issued.Certificate();
        Assert.Equal("CN=held-device-1", certificate.Subject);

        var audit = await File.ReadAllTextAsync(Server.DataPath("audit.log"));
        Assert.Contains($"\"operation\":\"est.enrollment.hold\",\"outcome\":\"success\"", audit);
        Assert.Contains("\"actor\":\"token:test-agent\",\"operation\":\"est.enrollment.approve\"", audit);
        Assert.Contains("(approved by token:test-agent)", audit);

        var record = await agent.GetAsync($"/api/v1/est/enrollments/{held.Str("id")}").Ok();
        Assert.Equal("completed", record.Str("state"));
        Assert.Equal(certificate.SerialNumber.ToLowerInvariant().TrimStart('0'), record.Str("serial_number").TrimStart('0'));
    }

    [Fact]
    public async Task A_rejected_enrollment_answers_403_with_the_operator_reason_on_every_poll()
    {
        using var device = new DeviceKey();
        var csr = device.Csr("CN=held-device-2");
        Assert.Equal(202, (await Server.EnrollAsync(csr, Enroll, Line1)).Status);
        var held = await PendingFor("held-device-2");

        using var agent = Server.Https("agent");
        await agent.PostJson($"/api/v1/est/enrollments/{held.Str("id")}/reject", new { reason = "not on the shipping list" }).Ok();

        for (var poll = 0; poll < 2; poll++)
        {
            var response = await Server.EnrollAsync(csr, Enroll, Line1);
            Assert.Contains("not on the shipping list", response.Problem(403, "forbidden")["detail"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_request_the_role_refuses_is_refused_at_once_and_never_held()
    {
        using var device = new DeviceKey();

        var response = await Server.EnrollAsync(device.Csr("CN=-not-a-hostname-"), Enroll, Line1);

        response.Problem(403, "policy-refused");
        using var agent = Server.Https("agent");
        var all = await agent.GetAsync("/api/v1/est/enrollments").Ok();
        Assert.DoesNotContain(all["enrollments"]!.AsArray(), e => e!["common_name"]?.GetValue<string>() == "-not-a-hostname-");
    }

    [Fact]
    public async Task Serverkeygen_under_approval_generates_the_key_only_when_the_approved_request_is_polled()
    {
        using var device = new DeviceKey();
        var csr = device.Csr("CN=held-keygen");
        const string KeyGen = "/.well-known/est/approval/serverkeygen";
        Assert.Equal(202, (await Server.EnrollAsync(csr, KeyGen, Line1)).Status);
        var held = await PendingFor("held-keygen");
        Assert.Equal("serverkeygen", held.Str("operation"));

        using var agent = Server.Https("agent");
        await agent.PostAsync($"/api/v1/est/enrollments/{held.Str("id")}/approve", null).Ok();
        var response = await Server.EnrollAsync(csr, KeyGen, Line1);

        Assert.Equal(200, response.Status);
        Assert.Contains("application/pkcs8", response.Text);
    }

    [Fact]
    public async Task Deciding_twice_is_409_and_an_unknown_enrollment_is_404()
    {
        using var device = new DeviceKey();
        Assert.Equal(202, (await Server.EnrollAsync(device.Csr("CN=held-device-3"), Enroll, Line1)).Status);
        var held = await PendingFor("held-device-3");
        using var agent = Server.Https("agent");
        await agent.PostAsync($"/api/v1/est/enrollments/{held.Str("id")}/approve", null).Ok();

        await Problem.AssertAsync(agent.PostJson($"/api/v1/est/enrollments/{held.Str("id")}/reject", new { reason = "too late" }), HttpStatusCode.Conflict, "conflict");
        await Problem.AssertAsync(agent.PostAsync("/api/v1/est/enrollments/0000/approve", null), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(agent.GetAsync("/api/v1/est/enrollments?state=sideways"), HttpStatusCode.BadRequest, "malformed");
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("requester", HttpStatusCode.Forbidden)]
    [InlineData("advanced", HttpStatusCode.Forbidden)]
    public async Task Only_agents_and_operators_see_and_decide_enrollments(string? persona, HttpStatusCode expected)
    {
        using var client = Server.Https(persona);

        await Problem.AssertAsync(client.GetAsync("/api/v1/est/enrollments"), expected);
        await Problem.AssertAsync(client.PostAsync("/api/v1/est/enrollments/0000/approve", null), expected);
        await Problem.AssertAsync(client.GetAsync("/api/v1/est/labels"), expected);
        using var operatorClient = Server.Https("operator");
        await operatorClient.GetAsync("/api/v1/est/enrollments").Ok();
    }
}
