namespace PkiProtocolServer.Acme.Tests.Validation;

/// <summary>An order in progress survives a restart: validation work lives in the store, not in the process.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_challenge_answered_before_a_restart_is_validated_after_it()
    {
        await using var responder = new ChallengeResponder();
        var directory = System.IO.Directory.CreateTempSubdirectory("pki-acme-restart-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Pki:Acme:HttpChallengePort"] = responder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pki:Acme:ValidationAttempts"] = "10",
            ["Pki:Acme:ValidationRetryDelay"] = "00:00:00.300",
        };
        try
        {
            using var key = TestKey.Es256();
            string kid;
            string authorizationUrl;
            string token;
            await using (var first = new AcmeServerFactory(settings, directory))
            {
                using var client = first.AcmeClient(key);
                (await client.RegisterAsync()).Expect(HttpStatusCode.Created);
                kid = client.Kid!;
                var order = (await client.NewOrderAsync(("dns", "restart.example.org"))).Expect(HttpStatusCode.Created).Json;
                authorizationUrl = order["authorizations"]![0]!.GetValue<string>();
                var challenge = (await client.GetAsync(authorizationUrl)).Json["challenges"]![0]!;
                token = challenge["token"]!.GetValue<string>();
                (await client.PostAsync(challenge["url"]!.GetValue<string>(), new JsonObject())).Expect(HttpStatusCode.OK);
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (responder.Requests == 0 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(20);
                }

                Assert.True(responder.Requests > 0, "the first server never tried the challenge");
                Assert.Equal("pending", (await client.GetAsync(authorizationUrl)).Json["status"]!.GetValue<string>());
            }

            responder.Serve(token, token + "." + key.Thumbprint());
            await using var second = new AcmeServerFactory(settings, directory);
            using var again = second.AcmeClient(key);
            await again.LoadDirectoryAsync();
            again.Kid = kid;

            var authorization = await again.PollAsync(authorizationUrl, a => a["status"]!.GetValue<string>() != "pending");

            Assert.Equal("valid", authorization["status"]!.GetValue<string>());
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}
