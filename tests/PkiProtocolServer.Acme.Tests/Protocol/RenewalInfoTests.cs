using System.Security.Cryptography.X509Certificates;

namespace PkiProtocolServer.Acme.Tests.Protocol;

/// <summary>ACME Renewal Information (RFC 9773 4): the renewalInfo resource, its default window, and the operator's windows.</summary>
public sealed class RenewalInfoTests : IClassFixture<AcmeServerFixture>
{
    private readonly AcmeServerFixture _fixture;

    public RenewalInfoTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task The_directory_advertises_renewalInfo_below_its_own_base()
    {
        using var client = _fixture.Server.AcmeClient();
        var directory = await client.LoadDirectoryAsync();
        using var eab = _fixture.Server.AcmeClient(directoryPath: "/acme/eab/directory");
        var named = await eab.LoadDirectoryAsync();

        Assert.Equal("https://localhost/acme/renewal-info", directory["renewalInfo"]!.GetValue<string>());
        Assert.Equal("https://localhost/acme/eab/renewal-info", named["renewalInfo"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_certId_computed_from_the_certificate_finds_it_with_the_default_window_and_a_Retry_After()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (certificate, _) = await _fixture.IssueAsync(client, null, "ari-default.example.org");

        using var response = await _fixture.RenewalInfoAsync(RenewalTestSupport.CertId(certificate));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.FromHours(6), response.Headers.RetryAfter?.Delta);
        var window = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["suggestedWindow"]!;
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var validity = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()) - notBefore;
        AssertClose(notBefore + validity * 2 / 3, window["start"]!.GetValue<DateTimeOffset>());
        AssertClose(notBefore + validity * 5 / 6, window["end"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_named_directory_serves_the_same_renewal_information()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (certificate, _) = await _fixture.IssueAsync(client, null, "ari-named.example.org");
        var certId = RenewalTestSupport.CertId(certificate);

        using var byDefault = await _fixture.RenewalInfoAsync(certId);
        using var byNamed = await _fixture.RenewalInfoAsync(certId, "/acme/tos");
        using var byUnknown = await _fixture.RenewalInfoAsync(certId, "/acme/nosuch");

        Assert.Equal(HttpStatusCode.OK, byNamed.StatusCode);
        Assert.Equal(await byDefault.Content.ReadAsStringAsync(), await byNamed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, byUnknown.StatusCode);
    }

    [Theory]
    [InlineData("nodot")]
    [InlineData("a.b.c")]
    [InlineData(".AQ")]
    [InlineData("AQ.")]
    [InlineData("AQ==.AQ")]
    [InlineData("AQ.AQ==")]
    [InlineData("A!.AQ")]
    [InlineData("AQ.gA")]
    [InlineData("AQ.AAE")]
    public async Task A_malformed_certId_is_a_malformed_problem(string certId)
    {
        using var response = await _fixture.RenewalInfoAsync(certId);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:ietf:params:acme:error:malformed", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_certificate_or_one_named_with_another_issuers_key_identifier_is_404()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (certificate, _) = await _fixture.IssueAsync(client, null, "ari-unknown.example.org");
        var serial = RenewalTestSupport.CertId(certificate).Split('.')[1];

        using var unknownSerial = await _fixture.RenewalInfoAsync(RenewalTestSupport.CertId(certificate).Split('.')[0] + ".AQIDBAUGBwgJ");
        using var otherIssuer = await _fixture.RenewalInfoAsync("AAECAwQFBgcICQoLDA0ODxAREhM." + serial);

        Assert.Equal(HttpStatusCode.NotFound, unknownSerial.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherIssuer.StatusCode);
    }

    [Fact]
    public async Task A_revoked_certificate_is_told_to_renew_now()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (certificate, _) = await _fixture.IssueAsync(client, null, "ari-revoked.example.org");
        (await client.PostAsync(client.Url("revokeCert"), new JsonObject { ["certificate"] = TestKey.B64(certificate.RawData), ["reason"] = 1 })).Expect(HttpStatusCode.OK);

        var window = await WindowAsync(certificate);

        Assert.True(window.End <= DateTimeOffset.UtcNow, $"the window ends {window.End:O}, not in the past");
        Assert.True(window.Start < window.End);
    }

    [Fact]
    public async Task Operator_windows_apply_certificate_over_role_over_issuer_and_removing_one_falls_back()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (certificate, _) = await _fixture.IssueAsync(client, null, "ari-override.example.org");
        var defaultWindow = await WindowAsync(certificate);
        using var op = _fixture.Server.Operator();
        var now = DateTimeOffset.UtcNow;
        var issuerWindow = (now.AddHours(1), now.AddHours(2));
        var roleWindow = (now.AddHours(3), now.AddHours(4));
        var certificateWindow = (now.AddMinutes(-30), now.AddMinutes(-10));

        await ExpectOk(await RenewalTestSupport.SetWindowAsync(op, "issuer", "default", issuerWindow.Item1, issuerWindow.Item2));
        AssertWindow(issuerWindow, await WindowAsync(certificate));

        await ExpectOk(await RenewalTestSupport.SetWindowAsync(op, "role", "acme-default", roleWindow.Item1, roleWindow.Item2));
        AssertWindow(roleWindow, await WindowAsync(certificate));

        await ExpectOk(await RenewalTestSupport.SetWindowAsync(op, "certificate", RenewalTestSupport.Serial(certificate), certificateWindow.Item1, certificateWindow.Item2, "https://ca.example/incident-42"));
        var moved = await WindowAsync(certificate);
        AssertWindow(certificateWindow, moved);
        Assert.Equal("https://ca.example/incident-42", moved.ExplanationUrl);

        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"/api/v1/acme/renewal-windows/certificate/{RenewalTestSupport.Serial(certificate)}")).StatusCode);
        AssertWindow(roleWindow, await WindowAsync(certificate));
        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync("/api/v1/acme/renewal-windows/role/acme-default")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync("/api/v1/acme/renewal-windows/issuer/default")).StatusCode);
        AssertWindow((defaultWindow.Start, defaultWindow.End), await WindowAsync(certificate));
    }

    [Fact]
    public async Task A_role_window_leaves_certificates_issued_after_it_on_their_default_window()
    {
        using var client = await _fixture.RegisteredClientAsync();
        using var op = _fixture.Server.Operator();
        var now = DateTimeOffset.UtcNow;
        var (before, _) = await _fixture.IssueAsync(client, null, "ari-before.example.org");
        await ExpectOk(await RenewalTestSupport.SetWindowAsync(op, "role", "acme-default", now.AddMinutes(-5), now.AddMinutes(5)));
        try
        {
            var (after, _) = await _fixture.IssueAsync(client, null, "ari-after.example.org");

            AssertWindow((now.AddMinutes(-5), now.AddMinutes(5)), await WindowAsync(before));
            Assert.True((await WindowAsync(after)).Start > DateTimeOffset.UtcNow.AddDays(30), "the replacement was sent back to renew");
        }
        finally
        {
            await op.DeleteAsync("/api/v1/acme/renewal-windows/role/acme-default");
        }
    }

    [Fact]
    public async Task Windows_are_listed_for_agents_and_set_only_by_operators()
    {
        using var agent = _fixture.Server.Agent();
        using var op = _fixture.Server.Operator();
        var now = DateTimeOffset.UtcNow;

        using var refused = await RenewalTestSupport.SetWindowAsync(agent, "certificate", "0a0b", now, now.AddHours(1));
        await ExpectOk(await RenewalTestSupport.SetWindowAsync(op, "certificate", "0A:0B", now, now.AddHours(1)));
        var listed = JsonNode.Parse(await agent.GetStringAsync("/api/v1/acme/renewal-windows"))!["windows"]!.AsArray();

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var window = listed.Single(w => w!["target"]!.GetValue<string>() == "0a0b")!;
        Assert.Equal("certificate", window["scope"]!.GetValue<string>());
        Assert.Equal("token:test-operator", window["set_by"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync("/api/v1/acme/renewal-windows/certificate/0a0b")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.DeleteAsync("/api/v1/acme/renewal-windows/certificate/0a0b")).StatusCode);
    }

    [Theory]
    [InlineData("certificate", "0a0b", 2, 1, null, HttpStatusCode.BadRequest)]
    [InlineData("subject", "0a0b", 1, 2, null, HttpStatusCode.BadRequest)]
    [InlineData("certificate", "not-hex", 1, 2, null, HttpStatusCode.BadRequest)]
    [InlineData("certificate", "0a0b", 1, 2, "ftp://ca.example/why", HttpStatusCode.BadRequest)]
    [InlineData("role", "no-such-role", 1, 2, null, HttpStatusCode.NotFound)]
    [InlineData("issuer", "no-such-issuer", 1, 2, null, HttpStatusCode.NotFound)]
    public async Task Bad_windows_are_problem_documents(string scope, string target, int startHours, int endHours, string? explanationUrl, HttpStatusCode status)
    {
        using var op = _fixture.Server.Operator();
        var now = DateTimeOffset.UtcNow;

        using var response = await RenewalTestSupport.SetWindowAsync(op, scope, target, now.AddHours(startHours), now.AddHours(endHours), explanationUrl);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<(DateTimeOffset Start, DateTimeOffset End, string? ExplanationUrl)> WindowAsync(X509Certificate2 certificate)
    {
        using var response = await _fixture.RenewalInfoAsync(RenewalTestSupport.CertId(certificate));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var json = JsonNode.Parse(text)!;
        return (json["suggestedWindow"]!["start"]!.GetValue<DateTimeOffset>(), json["suggestedWindow"]!["end"]!.GetValue<DateTimeOffset>(), json["explanationURL"]?.GetValue<string>());
    }

    private static async Task ExpectOk(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    private static void AssertWindow((DateTimeOffset Start, DateTimeOffset End) expected, (DateTimeOffset Start, DateTimeOffset End, string? ExplanationUrl) actual)
    {
        AssertClose(expected.Start, actual.Start);
        AssertClose(expected.End, actual.End);
    }

    /// <summary>Instants go through JSON: equal to the second (the certificate's own dates are whole seconds).</summary>
    private static void AssertClose(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.True((expected - actual).Duration() < TimeSpan.FromSeconds(1), $"expected {expected:O}, got {actual:O}");
}
