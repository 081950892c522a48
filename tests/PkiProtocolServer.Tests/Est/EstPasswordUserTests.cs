namespace PkiProtocolServer.Tests.Est;

/// <summary>EST password users made through the admin API: one-time passwords, expiry, and what the API never shows.</summary>
public sealed class EstPasswordUserTests : IClassFixture<EstServerFixture>
{
    private const string Enroll = "/.well-known/est/strict/simpleenroll";
    private readonly EstServerFixture _fixture;

    public EstPasswordUserTests(EstServerFixture fixture)
    {
        _fixture = fixture;
    }

    private PkiServerFactory Server => _fixture.Server;

    [Fact]
    public async Task A_one_time_password_enrolls_one_csr_which_may_retry_and_then_refuses_any_other()
    {
        using var agent = Server.Https("agent");
        var user = await agent.PostJson("/api/v1/est/labels/strict/users", new { name = "otp-device" }).Ok();
        Assert.True(user["one_time"]!.GetValue<bool>());
        var credentials = ("otp-device", user.Str("password"));
        using var device = new DeviceKey();
        var csr = device.Csr("CN=otp.devices.example.com");

        var first = await Server.EnrollAsync(csr, Enroll, credentials);
        var retry = await Server.EnrollAsync(csr, Enroll, credentials);
        var other = await Server.EnrollAsync(device.Csr("CN=other.devices.example.com"), Enroll, credentials);

        Assert.Equal(200, first.Status);
        Assert.Equal(200, retry.Status);
        other.Problem(401, "unauthorized");
        var listed = await agent.GetAsync("/api/v1/est/labels/strict/users").Ok();
        Assert.True(listed["users"]!.AsArray().Single(u => u!["name"]!.GetValue<string>() == "otp-device")!["consumed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_one_time_password_spent_on_a_refused_csr_is_not_consumed()
    {
        using var agent = Server.Https("agent");
        var user = await agent.PostJson("/api/v1/est/labels/strict/users", new { }).Ok();
        var credentials = (user.Str("name"), user.Str("password"));
        using var device = new DeviceKey();

        var refused = await Server.EnrollAsync(device.Csr("CN=outside.example.org"), Enroll, credentials);
        var accepted = await Server.EnrollAsync(device.Csr("CN=inside.devices.example.com"), Enroll, credentials);

        refused.Problem(403, "policy-refused");
        Assert.Equal(200, accepted.Status);
        Assert.StartsWith("device-", user.Str("name"));
    }

    [Fact]
    public async Task An_expired_password_is_401()
    {
        using var agent = Server.Https("agent");
        var user = await agent.PostJson("/api/v1/est/labels/strict/users", new { name = "brief", one_time = false, ttl = "1s" }).Ok();
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        using var device = new DeviceKey();

        var response = await Server.EnrollAsync(device.Csr("CN=brief.devices.example.com"), Enroll, ("brief", user.Str("password")));

        response.Problem(401, "unauthorized");
    }

    [Fact]
    public async Task The_api_shows_a_password_once_never_a_hash_and_deletes_users()
    {
        using var agent = Server.Https("agent");
        var created = await agent.PostJson("/api/v1/est/labels/default/users", new { name = "chosen", password = "a chosen password of length", one_time = false }).Ok();
        Assert.Equal("a chosen password of length", created.Str("password"));
        Assert.Equal("default", created.Str("label"));

        var listed = await agent.GetAsync("/api/v1/est/labels/default/users").Ok();
        var text = listed.ToJsonString();
        Assert.Contains("chosen", text);
        Assert.DoesNotContain("a chosen password", text);
        Assert.DoesNotContain("pbkdf2", text);
        using var device = new DeviceKey();
        Assert.Equal(200, (await Server.EnrollAsync(device.Csr("CN=chosen-device"), basic: ("chosen", "a chosen password of length"))).Status);

        using (var response = await agent.DeleteAsync("/api/v1/est/labels/default/users/chosen"))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        (await Server.EnrollAsync(device.Csr("CN=chosen-device"), basic: ("chosen", "a chosen password of length"))).Problem(401);
        await Problem.AssertAsync(agent.DeleteAsync("/api/v1/est/labels/default/users/chosen"), HttpStatusCode.NotFound);
        Assert.DoesNotContain("a chosen password", await File.ReadAllTextAsync(Server.DataPath("audit.log")));
    }

    [Fact]
    public async Task Bad_user_requests_are_400_409_or_404()
    {
        using var agent = Server.Https("agent");

        await Problem.AssertAsync(agent.PostJson("/api/v1/est/labels/strict/users", new { password = "short" }), HttpStatusCode.BadRequest, "malformed");
        await Problem.AssertAsync(agent.PostJson("/api/v1/est/labels/strict/users", new { name = "a:b" }), HttpStatusCode.BadRequest, "malformed");
        await Problem.AssertAsync(agent.PostJson("/api/v1/est/labels/default/users", new { name = "est" }), HttpStatusCode.Conflict, "conflict");
        await Problem.AssertAsync(agent.PostJson("/api/v1/est/labels/strict/users", new { name = "device-1" }), HttpStatusCode.Conflict, "conflict");
        await Problem.AssertAsync(agent.PostJson("/api/v1/est/labels/nowhere/users", new { }), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(agent.PostJson("/api/v1/est/labels/strict/users", new { ttl = "forever" }), HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task Requesters_cannot_make_est_users()
    {
        using var requester = Server.Https("requester");

        await Problem.AssertAsync(requester.PostJson("/api/v1/est/labels/strict/users", new { }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_labels_endpoint_describes_every_label()
    {
        using var agent = Server.Https("agent");

        var labels = (await agent.GetAsync("/api/v1/est/labels").Ok())["labels"]!.AsArray();

        var factory = labels.Single(l => l!["label"]!.GetValue<string>() == "factory")!;
        Assert.Equal("Certificate", factory.Str("authentication"));
        Assert.Equal("/.well-known/est/factory", factory.Str("path"));
        Assert.Contains("Example Manufacturer Root", factory["trust_anchors"]!.ToJsonString());
        Assert.Contains(labels, l => l!["label"]!.GetValue<string>() == "default" && l["path"]!.GetValue<string>() == "/.well-known/est");
    }
}
