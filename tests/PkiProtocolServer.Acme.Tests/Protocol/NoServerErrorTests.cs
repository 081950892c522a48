using System.Text;

namespace PkiProtocolServer.Acme.Tests.Protocol;

/// <summary>No input gives a 500: odd payloads, headers and bodies on every resource are answered with a 4xx problem.</summary>
public sealed class NoServerErrorTests : IClassFixture<AcmeServerFixture>
{
    private readonly AcmeServerFixture _fixture;

    public NoServerErrorTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    private static readonly string[] Payloads =
    [
        "{}", "null", "1", "\"x\"", "[]", "true",
        "{\"identifiers\":null}", "{\"identifiers\":[null]}", "{\"identifiers\":[{\"type\":1,\"value\":2}]}", "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"\"}]}",
        "{\"identifiers\":[{\"type\":\"ip\",\"value\":\"::ffff:1.2.3.4%eth0\"}]}", "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"" + new string('a', 300) + ".example\"}]}",
        "{\"csr\":null}", "{\"csr\":1}", "{\"csr\":\"\"}", "{\"csr\":\"MAA\"}",
        "{\"status\":null}", "{\"status\":1}", "{\"status\":\"deactivated\",\"contact\":1}", "{\"contact\":[1]}", "{\"contact\":\"mailto:a@example.org\"}",
        "{\"termsOfServiceAgreed\":\"yes\"}", "{\"onlyReturnExisting\":1}", "{\"externalAccountBinding\":1}", "{\"externalAccountBinding\":{}}",
        "{\"externalAccountBinding\":{\"protected\":\"e30\",\"payload\":\"e30\",\"signature\":\"AA\"}}",
        "{\"protected\":\"e30\",\"payload\":\"\",\"signature\":\"AA\"}", "{\"account\":1,\"oldKey\":{}}",
        "{\"certificate\":1}", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":{\"k\":{\"l\":{\"m\":{\"n\":{\"o\":{\"p\":{\"q\":{}}}}}}}}}}}}}}}}}}",
    ];

    private static readonly Action<JsonObject>[] HeaderEdits =
    [
        h => h["jwk"] = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = "AA", ["y"] = "AA" },
        h => h["jwk"] = new JsonObject { ["kty"] = "RSA", ["n"] = "AQAB", ["e"] = "AQAB" },
        h => h["jwk"] = new JsonObject { ["kty"] = "oct", ["k"] = "AA" },
        h => h["jwk"] = "not an object",
        h => h["kid"] = 12,
        h => h["alg"] = new JsonArray(),
        h => h["url"] = new JsonObject(),
        h => h["nonce"] = JsonValue.Create(1.5),
        h => h["b64"] = false,
        h => h["crit"] = new JsonArray("exp"),
    ];

    [Fact]
    public async Task Odd_payloads_on_every_resource_get_a_client_error()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var (orderUrl, order) = await _fixture.ReadyOrderAsync(client, "fuzz.example.org");
        var authorizationUrl = order["authorizations"]![0]!.GetValue<string>();
        var challengeUrl = (await client.GetAsync(authorizationUrl)).Json["challenges"]![0]!["url"]!.GetValue<string>();
        var urls = new[] { client.Url("newAccount"), client.Url("newOrder"), client.Url("keyChange"), client.Kid!, client.Kid + "/orders", orderUrl, orderUrl + "/finalize", authorizationUrl, challengeUrl };

        foreach (var url in urls)
        {
            foreach (var payload in Payloads)
            {
                var response = await client.PostAsync(url, JsonNode.Parse(payload), forceJwk: url == client.Url("newAccount"));
                Assert.True((int)response.Status is >= 200 and < 500, $"{url} with {payload}: {(int)response.Status} {response.Body}");
            }
        }

        // A refused update changes nothing: {"status":"deactivated","contact":1} did not deactivate the account.
        Assert.Equal("valid", (await client.GetAsync(client.Kid!)).Json["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Odd_protected_headers_and_raw_bodies_get_a_client_error()
    {
        using var client = await _fixture.RegisteredClientAsync();
        var urls = new[] { client.Url("newAccount"), client.Url("newOrder"), client.Kid! };
        var random = new Random(8555);

        foreach (var url in urls)
        {
            foreach (var edit in HeaderEdits)
            {
                var response = await client.PostAsync(url, new JsonObject(), editHeader: edit);
                Assert.True((int)response.Status is >= 400 and < 500, $"{url}: {(int)response.Status} {response.Body}");
            }

            for (var i = 0; i < 20; i++)
            {
                var bytes = new byte[random.Next(1, 400)];
                random.NextBytes(bytes);
                var response = await client.PostRawAsync(url, Encoding.Latin1.GetString(bytes));
                Assert.True((int)response.Status is >= 400 and < 500, $"{url} with random bytes: {(int)response.Status} {response.Body}");
                response.AssertCommonHeaders();
            }
        }
    }
}
