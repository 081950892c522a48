using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PkiProtocolServer.Acme.Tests.Support;

/// <summary>Issuance, RFC 9773 certIDs computed from the DER by hand, and the admin calls the ARI and profile tests share.</summary>
public static class RenewalTestSupport
{
    /// <summary>An order for <paramref name="names"/> made ready, finalized and its leaf downloaded; <paramref name="extra"/> adds newOrder members.</summary>
    public static async Task<(X509Certificate2 Certificate, JsonNode Order)> IssueAsync(this AcmeServerFixture fixture, AcmeTestClient client, JsonObject? extra = null, params string[] names)
    {
        var payload = new JsonObject { ["identifiers"] = new JsonArray(names.Select(n => (JsonNode)new JsonObject { ["type"] = "dns", ["value"] = n }).ToArray()) };
        foreach (var (key, value) in extra ?? [])
        {
            payload[key] = value?.DeepClone();
        }

        var created = (await client.PostAsync(client.Url("newOrder"), payload)).Expect(HttpStatusCode.Created);
        var order = await fixture.FinishAsync(client, created);
        var chain = (await client.GetAsync(order["certificate"]!.GetValue<string>())).Expect(HttpStatusCode.OK).Body;
        return (Chains.Load(Chains.Split(chain)[0]), order);
    }

    /// <summary>Proves every authorization of a created order, finalizes it, and returns the valid order.</summary>
    public static async Task<JsonNode> FinishAsync(this AcmeServerFixture fixture, AcmeTestClient client, AcmeResponse created)
    {
        foreach (var authorizationUrl in created.Json["authorizations"]!.AsArray().Select(a => a!.GetValue<string>()))
        {
            await fixture.ProveHttp01Async(client, authorizationUrl);
        }

        var orderUrl = created.Location!;
        var ready = await client.PollAsync(orderUrl, o => o["status"]!.GetValue<string>() != "pending");
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        var names = created.Json["identifiers"]!.AsArray().Select(i => i!["value"]!.GetValue<string>()).ToArray();
        return (await client.PostAsync(orderUrl + "/finalize", new JsonObject { ["csr"] = Csrs.For(names) })).Expect(HttpStatusCode.OK).Json;
    }

    /// <summary>
    /// RFC 9773 4.1 computed independently of the server: the keyIdentifier read from the AKI extension's DER, and the
    /// serial's INTEGER content octets (big-endian, its leading zero kept) from the little-endian GetSerialNumber().
    /// </summary>
    public static string CertId(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions["2.5.29.35"] ?? throw new InvalidOperationException("no AKI");
        var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        var keyIdentifier = reader.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
        var serial = certificate.GetSerialNumber();
        Array.Reverse(serial);
        return B64(keyIdentifier) + "." + B64(serial);
    }

    public static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Serial as the admin API and stores write it: lower-case hex without a leading zero octet.</summary>
    public static string Serial(X509Certificate2 certificate)
    {
        var hex = certificate.SerialNumber.ToLowerInvariant();
        return hex.StartsWith("00", StringComparison.Ordinal) && hex.Length > 2 ? hex[2..] : hex;
    }

    /// <summary>An HTTPS client with no token: renewalInfo is fetched unauthenticated (RFC 9773 4.1).</summary>
    public static HttpClient Anonymous(this AcmeServerFixture fixture) =>
        fixture.Server.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });

    /// <summary>GET renewalInfo for a certID with a plain HTTP client.</summary>
    public static async Task<HttpResponseMessage> RenewalInfoAsync(this AcmeServerFixture fixture, string certId, string prefix = "/acme")
    {
        using var http = fixture.Anonymous();
        return await http.GetAsync($"{prefix}/renewal-info/{certId}");
    }

    /// <summary>Creates (or replaces) a role through the admin API with the agent persona.</summary>
    public static async Task PutRoleAsync(this AcmeServerFixture fixture, string name, string json)
    {
        using var agent = fixture.Server.Agent();
        using var put = await agent.PutAsync($"/api/v1/roles/{name}", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    /// <summary>The short profile's role: one-day certificates for names under example.org only.</summary>
    public static Task PutShortRoleAsync(this AcmeServerFixture fixture) =>
        fixture.PutRoleAsync(AcmeServerFixture.ShortRole, """
            {"issuer_ref":"default","allowed_domains":["example.org"],"allow_subdomains":true,"enforce_hostnames":true,
             "key_usage":["DigitalSignature","KeyEncipherment"],"ext_key_usage":["ServerAuth"],"ttl":"24h","max_ttl":"24h"}
            """);

    /// <summary>PUT /api/v1/acme/renewal-windows with a client of the given persona.</summary>
    public static async Task<HttpResponseMessage> SetWindowAsync(HttpClient admin, string scope, string target, DateTimeOffset start, DateTimeOffset end, string? explanationUrl = null)
    {
        var body = new JsonObject { ["scope"] = scope, ["target"] = target, ["start"] = start.ToString("O"), ["end"] = end.ToString("O") };
        if (explanationUrl is not null)
        {
            body["explanation_url"] = explanationUrl;
        }

        return await admin.PutAsync("/api/v1/acme/renewal-windows", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
    }
}
