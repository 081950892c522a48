namespace PkiProtocolServer.Acme.Tests.Support;

/// <summary>
/// A server for CAA and dns-account-01 tests: the directory <c>caa</c> names <see cref="Identity"/> as its CAA issuer
/// domain, dns-account-01 is offered, and CAA is checked again at every finalize (recheck age zero), so a CAA
/// change between validation and finalize is seen without moving the clock.
/// </summary>
public sealed class CaaServerFixture : IAsyncLifetime
{
    public const string Identity = "ca.example";
    public const string DirectoryPath = "/acme/caa/directory";

    public ChallengeResponder Responder { get; } = new();

    public AcmeServerFactory Server { get; private set; } = null!;

    public StaticDnsResolver Dns => Server.Dns;

    public Task InitializeAsync()
    {
        Server = new AcmeServerFactory(new Dictionary<string, string?>
        {
            ["Pki:Acme:HttpChallengePort"] = Responder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pki:Acme:Directories:caa:Role"] = "acme-default",
            ["Pki:Acme:Directories:caa:CaaIdentities:0"] = Identity,
            ["Pki:Acme:DnsAccount01Enabled"] = "true",
            ["Pki:Acme:CaaRecheckAfter"] = "00:00:00",
        });
        _ = Server.Server;
        return Task.CompletedTask;
    }

    public async Task<AcmeTestClient> RegisteredClientAsync(string directoryPath = DirectoryPath)
    {
        var client = Server.AcmeClient(directoryPath: directoryPath);
        (await client.RegisterAsync()).Expect(HttpStatusCode.Created);
        return client;
    }

    /// <summary>A new order for one name; its URL, its authorization URL and the challenge of <paramref name="challengeType"/>.</summary>
    public static async Task<(string OrderUrl, string AuthorizationUrl, JsonNode Challenge)> OrderAsync(AcmeTestClient client, string name, string challengeType)
    {
        var created = (await client.NewOrderAsync(("dns", name))).Expect(HttpStatusCode.Created);
        var authorizationUrl = created.Json["authorizations"]![0]!.GetValue<string>();
        var authorization = (await client.GetAsync(authorizationUrl)).Json;
        var challenge = authorization["challenges"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == challengeType)!;
        return (created.Location!, authorizationUrl, challenge);
    }

    /// <summary>The dns-01 / dns-account-01 TXT value of a challenge for this client.</summary>
    public static string TxtValue(AcmeTestClient client, JsonNode challenge) =>
        TestKey.B64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(challenge["token"]!.GetValue<string>() + "." + client.Key.Thumbprint())));

    /// <summary>Publishes the dns-01 record for <paramref name="domain"/>, answers the challenge and waits for the result.</summary>
    public async Task<JsonNode> ProveDns01Async(AcmeTestClient client, string domain, string authorizationUrl, JsonNode challenge)
    {
        Dns.Publish("_acme-challenge." + domain, TxtValue(client, challenge));
        (await client.PostAsync(challenge["url"]!.GetValue<string>(), new JsonObject())).Expect(HttpStatusCode.OK);
        return await client.PollAsync(authorizationUrl, a => a["status"]!.GetValue<string>() != "pending");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Responder.DisposeAsync();
    }
}
