namespace PkiProtocolServer.Tests;

/// <summary>A server stopped and started again on the same data directory has everything it had.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _dataDirectory = PkiServerFactory.NewDataDirectory();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Issuers_certificates_roles_and_the_root_survive_a_restart()
    {
        string rootPem, caPem, serial, tlsCertificate;
        List<string> issuerIds;
        string defaultId;
        await using (var first = PkiServerFactory.OnDirectory(_dataDirectory))
        {
            rootPem = Chains.Split(await first.Https().GetStringAsync("/ca-chain.pem"))[^1];
            caPem = await first.Https().GetStringAsync("/ca.pem");
            await first.Https("operator").PostJson("/api/v1/issuers/generate/root", new { name = "second-root", common_name = "Second Root", key_type = "rsa", ttl = "365d" }).Expect(HttpStatusCode.Created);
            await first.Https("agent").PutJson("/api/v1/roles/kept", new { allowed_domains = new[] { "kept.example" }, allow_subdomains = true }).Ok();
            serial = (await first.Https("requester").PostJson("/api/v1/issue/kept", new { common_name = "a.kept.example" }).Ok()).Str("serial_number");
            issuerIds = await IssuerIdsAsync(first);
            defaultId = (await first.Https("operator").GetAsync("/api/v1/config/issuers").Ok()).Str("default");
            tlsCertificate = await File.ReadAllTextAsync(first.DataPath("tls", "server.pem"));
        }

        await using var second = PkiServerFactory.OnDirectory(_dataDirectory);
        Assert.Equal(issuerIds, await IssuerIdsAsync(second));
        Assert.Equal(defaultId, (await second.Https("operator").GetAsync("/api/v1/config/issuers").Ok()).Str("default"));
        Assert.Equal(rootPem, Chains.Split(await second.Https().GetStringAsync("/ca-chain.pem"))[^1]);
        Assert.Equal(caPem, await second.Https().GetStringAsync("/ca.pem"));
        Assert.Equal(rootPem.Trim(), (await File.ReadAllTextAsync(second.DataPath("root-ca.pem"))).Trim());
        Assert.Equal(tlsCertificate, await File.ReadAllTextAsync(second.DataPath("tls", "server.pem")));

        var record = await second.Https().GetAsync($"/api/v1/certs/{serial}").Ok();
        Assert.Equal("kept", record.Str("role"));
        Assert.Contains("kept.example", (await second.Https("requester").GetAsync("/api/v1/roles/kept").Ok())["role"]!.Strings("allowed_domains"));

        // The keys still open: both the default issuer and the root made before the restart sign.
        var leaf = await second.Https("requester").PostJson("/api/v1/issue/kept", new { common_name = "b.kept.example" }).Ok();
        Chains.AssertValid(leaf.Str("certificate"), leaf.Strings("ca_chain"), rootPem);
        await second.Https("advanced").PostJson("/api/v1/issuers/second-root/issue/kept", new { common_name = "c.kept.example" }).Ok();
    }

    private static async Task<List<string>> IssuerIdsAsync(PkiServerFactory server) =>
        (await server.Https().GetAsync("/api/v1/issuers").Ok())["issuers"]!.AsArray().Select(i => i!.Str("issuer_id")).Order(StringComparer.Ordinal).ToList();
}
