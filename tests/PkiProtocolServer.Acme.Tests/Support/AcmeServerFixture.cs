namespace PkiProtocolServer.Acme.Tests.Support;

/// <summary>
/// One in-process server per test class, with its http-01 responder: the default directory, plus <c>eab</c> (External
/// Account Binding required) and <c>tos</c> (terms of service to agree to) directories on the same role, and
/// <c>narrow</c> on the role <c>acme-narrow</c> that tests create; the default directory offers the certificate
/// profile <c>short</c> (role <c>acme-short</c>, which tests create), the default profile of directory <c>profiled</c>.
/// </summary>
public sealed class AcmeServerFixture : IAsyncLifetime
{
    public const string TermsUrl = "https://ca.example/terms-v1";

    /// <summary>A certificate profile of the default and <c>profiled</c> directories (the default profile of the latter), on <see cref="ShortRole"/>.</summary>
    public const string ShortProfile = "short";

    /// <summary>The role of <see cref="ShortProfile"/>, which tests create.</summary>
    public const string ShortRole = "acme-short";

    public ChallengeResponder Responder { get; } = new();

    public TlsAlpnResponder TlsAlpn { get; } = new();

    public AcmeServerFactory Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Server = new AcmeServerFactory(new Dictionary<string, string?>
        {
            ["Pki:Acme:HttpChallengePort"] = Responder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pki:Acme:TlsAlpnChallengePort"] = TlsAlpn.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pki:Acme:Directories:narrow:Role"] = "acme-narrow",
            ["Pki:Acme:Directories:eab:Role"] = "acme-default",
            ["Pki:Acme:Directories:eab:ExternalAccountRequired"] = "true",
            ["Pki:Acme:Directories:tos:Role"] = "acme-default",
            ["Pki:Acme:Directories:tos:TermsOfService"] = TermsUrl,
            ["Pki:Acme:Directories:tos:Website"] = "https://ca.example",
            ["Pki:Acme:Directories:tos:CaaIdentities:0"] = "ca.example",
            [$"Pki:Acme:Directories:default:Profiles:{ShortProfile}:Role"] = ShortRole,
            [$"Pki:Acme:Directories:default:Profiles:{ShortProfile}:Description"] = "one-day certificates for example.org",
            ["Pki:Acme:Directories:profiled:Role"] = "acme-default",
            [$"Pki:Acme:Directories:profiled:Profiles:{ShortProfile}:Role"] = ShortRole,
            ["Pki:Acme:Directories:profiled:DefaultProfile"] = ShortProfile,
        });
        _ = Server.Server; // start now, so the development CA exists before the first test
        return Task.CompletedTask;
    }

    /// <summary>A registered client on the default directory.</summary>
    public async Task<AcmeTestClient> RegisteredClientAsync(TestKey? key = null, string directoryPath = "/acme/directory")
    {
        var client = Server.AcmeClient(key, directoryPath);
        (await client.RegisterAsync()).Expect(HttpStatusCode.Created);
        return client;
    }

    /// <summary>An order whose authorizations were all proven over http-01 through <see cref="Responder"/>: ready to finalize.</summary>
    public async Task<(string OrderUrl, JsonNode Order)> ReadyOrderAsync(AcmeTestClient client, params string[] names)
    {
        var created = (await client.NewOrderAsync(names.Select(n => (IPAddress.TryParse(n, out _) ? "ip" : "dns", n)).ToArray())).Expect(HttpStatusCode.Created);
        foreach (var authorizationUrl in created.Json["authorizations"]!.AsArray().Select(a => a!.GetValue<string>()))
        {
            await ProveHttp01Async(client, authorizationUrl);
        }

        var orderUrl = created.Location!;
        var order = await client.PollAsync(orderUrl, o => o["status"]!.GetValue<string>() != "pending");
        Assert.Equal("ready", order["status"]!.GetValue<string>());
        return (orderUrl, order);
    }

    /// <summary>Serves the key authorization of the authorization's http-01 challenge, answers it, and waits for a result.</summary>
    public async Task<JsonNode> ProveHttp01Async(AcmeTestClient client, string authorizationUrl)
    {
        var authorization = (await client.GetAsync(authorizationUrl)).Expect(HttpStatusCode.OK).Json;
        if (authorization["status"]!.GetValue<string>() == "valid")
        {
            return authorization;
        }

        var challenge = authorization["challenges"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "http-01")!;
        var token = challenge["token"]!.GetValue<string>();
        Responder.Serve(token, token + "." + client.Key.Thumbprint());
        (await client.PostAsync(challenge["url"]!.GetValue<string>(), new JsonObject())).Expect(HttpStatusCode.OK);
        return await client.PollAsync(authorizationUrl, a => a["status"]!.GetValue<string>() != "pending");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Responder.DisposeAsync();
        await TlsAlpn.DisposeAsync();
    }
}
