using System.Text;

namespace PkiProtocolServer.Acme.Tests.Protocol;

/// <summary>Each ACME directory maps to a role of the core: its rules refuse identifiers at newOrder, one subproblem per identifier.</summary>
public sealed class PolicyTests : IClassFixture<AcmeServerFixture>
{
    private readonly AcmeServerFixture _fixture;

    public PolicyTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task A_directory_whose_role_is_missing_refuses_orders_then_its_role_refuses_each_name_it_does_not_allow()
    {
        using var client = await _fixture.RegisteredClientAsync(directoryPath: "/acme/narrow/directory");

        var missingRole = (await client.NewOrderAsync(("dns", "www.example.org"))).ExpectProblem(HttpStatusCode.ServiceUnavailable, "serverInternal");
        Assert.Contains("acme-narrow", missingRole["detail"]!.GetValue<string>());

        using var agent = _fixture.Server.Agent();
        var role = "{\"allowed_domains\":[\"example.org\"],\"allow_subdomains\":true,\"allow_ip_sans\":false}";
        var put = await agent.PutAsync("/api/v1/roles/acme-narrow", new StringContent(role, Encoding.UTF8, "application/json"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        var problem = (await client.NewOrderAsync(("dns", "www.example.org"), ("dns", "evil.example.net"), ("ip", "192.0.2.1"), ("dns", "*.example.org")))
            .ExpectProblem(HttpStatusCode.BadRequest, "rejectedIdentifier");

        var refused = problem["subproblems"]!.AsArray().Select(s => s!["identifier"]!["value"]!.GetValue<string>()).ToList();
        Assert.Equal(new[] { "*.example.org", "192.0.2.1", "evil.example.net" }, refused.Order(StringComparer.Ordinal));
        Assert.Equal("ip", problem["subproblems"]!.AsArray().Single(s => s!["identifier"]!["value"]!.GetValue<string>() == "192.0.2.1")!["identifier"]!["type"]!.GetValue<string>());
        (await client.NewOrderAsync(("dns", "www.example.org"))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_default_directory_accepts_dns_names_wildcards_and_ip_addresses()
    {
        using var client = await _fixture.RegisteredClientAsync();

        (await client.NewOrderAsync(("dns", "anything.example.net"), ("dns", "*.example.net"), ("ip", "2001:db8::1"), ("ip", "192.0.2.44"))).Expect(HttpStatusCode.Created);
    }
}
