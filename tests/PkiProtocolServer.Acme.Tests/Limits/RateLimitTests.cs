using Microsoft.Extensions.DependencyInjection;

namespace PkiProtocolServer.Acme.Tests.Limits;

/// <summary>
/// Rate limits through the real host (each test its own server with a small limit): a refusal is <c>rateLimited</c>
/// (429) with <c>Retry-After</c> and a detail naming the limit and when it resets.
/// </summary>
public sealed class RateLimitTests
{
    private static AcmeServerFactory Server(params (string Key, string Value)[] settings) =>
        new(settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    private static void AssertRateLimited(AcmeResponse response, string limit)
    {
        var problem = response.ExpectProblem((HttpStatusCode)429, "rateLimited");
        Assert.Contains(limit, problem["detail"]!.GetValue<string>());
        Assert.Contains("resets at", problem["detail"]!.GetValue<string>());
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.True(retryAfter > TimeSpan.Zero, $"Retry-After {retryAfter}");
    }

    [Fact]
    public async Task NewNonce_beyond_the_per_IP_limit_is_rateLimited_with_Retry_After()
    {
        await using var server = Server(("Pki:Acme:RateLimits:NoncesPerIp:Limit", "2"), ("Pki:Acme:RateLimits:NoncesPerIp:Period", "01:00:00"));
        using var client = server.AcmeClient();
        await client.LoadDirectoryAsync();

        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, client.Url("newNonce")))).Expect(HttpStatusCode.OK);
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, client.Url("newNonce")))).Expect(HttpStatusCode.NoContent);
        var refused = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, client.Url("newNonce")));

        AssertRateLimited(refused, "NoncesPerIp");
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 3000, 3600);
    }

    [Fact]
    public async Task New_orders_beyond_the_account_limit_are_rateLimited_while_other_accounts_go_on()
    {
        await using var server = Server(("Pki:Acme:RateLimits:NewOrdersPerAccount:Limit", "2"));
        using var busy = server.AcmeClient();
        (await busy.RegisterAsync()).Expect(HttpStatusCode.Created);
        using var other = server.AcmeClient();
        (await other.RegisterAsync()).Expect(HttpStatusCode.Created);

        (await busy.NewOrderAsync(("dns", "a.example.org"))).Expect(HttpStatusCode.Created);
        (await busy.NewOrderAsync(("dns", "b.example.org"))).Expect(HttpStatusCode.Created);
        var refused = await busy.NewOrderAsync(("dns", "c.example.org"));

        AssertRateLimited(refused, "NewOrdersPerAccount");
        (await other.NewOrderAsync(("dns", "c.example.org"))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_account_override_lifts_the_order_limit_for_that_account_only()
    {
        await using var server = Server(("Pki:Acme:RateLimits:NewOrdersPerAccount:Limit", "1"));
        using var client = server.AcmeClient();
        (await client.RegisterAsync()).Expect(HttpStatusCode.Created);
        (await client.NewOrderAsync(("dns", "a.example.org"))).Expect(HttpStatusCode.Created);
        AssertRateLimited(await client.NewOrderAsync(("dns", "b.example.org")), "NewOrdersPerAccount");

        var accountId = client.Kid!.Split('/')[^1];
        await using var lifted = Server(
            ("Pki:Acme:RateLimits:NewOrdersPerAccount:Limit", "1"),
            ("Pki:Acme:RateLimits:NewOrdersPerAccount:Overrides:0:Account", accountId),
            ("Pki:Acme:RateLimits:NewOrdersPerAccount:Overrides:0:Limit", "0"));
        var unlimited = lifted.Services.GetRequiredService<PkiProtocolServer.Acme.RateLimits.AcmeRateLimiter>();

        for (var i = 0; i < 5; i++)
        {
            await unlimited.TakeNewOrderAsync(accountId, CancellationToken.None);
        }

        await unlimited.TakeNewOrderAsync("another-account", CancellationToken.None);
        var refused = await Assert.ThrowsAsync<PkiProtocolServer.Acme.Errors.AcmeException>(() => unlimited.TakeNewOrderAsync("another-account", CancellationToken.None));
        Assert.Equal(PkiProtocolServer.Acme.Errors.AcmeErrorType.RateLimited, refused.Type);
    }

    [Fact]
    public async Task New_accounts_beyond_the_per_IP_limit_are_rateLimited_but_an_existing_key_still_finds_its_account()
    {
        await using var server = Server(("Pki:Acme:RateLimits:NewAccountsPerIp:Limit", "1"));
        using var first = server.AcmeClient();
        (await first.RegisterAsync()).Expect(HttpStatusCode.Created);
        using var second = server.AcmeClient();

        AssertRateLimited(await second.RegisterAsync(), "NewAccountsPerIp");

        using var again = server.AcmeClient(first.Key);
        (await again.RegisterAsync()).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Failed_validations_of_a_name_refuse_new_orders_and_challenges_for_it_by_that_account()
    {
        await using var responder = new ChallengeResponder(); // serves nothing: every http-01 attempt is a 404
        await using var server = Server(
            ("Pki:Acme:RateLimits:FailedValidationsPerIdentifier:Limit", "1"),
            ("Pki:Acme:HttpChallengePort", responder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var client = server.AcmeClient();
        (await client.RegisterAsync()).Expect(HttpStatusCode.Created);
        var order = (await client.NewOrderAsync(("dns", "fails.example.org"), ("dns", "other.example.org"))).Expect(HttpStatusCode.Created).Json;
        var failing = order["authorizations"]![0]!.GetValue<string>();
        var untouched = (await client.GetAsync(order["authorizations"]![1]!.GetValue<string>())).Expect(HttpStatusCode.OK).Json;
        var challenge = (await client.GetAsync(failing)).Expect(HttpStatusCode.OK).Json["challenges"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "http-01")!;
        (await client.PostAsync(challenge["url"]!.GetValue<string>(), new JsonObject())).Expect(HttpStatusCode.OK);
        await client.PollAsync(failing, a => a["status"]!.GetValue<string>() == "invalid");

        AssertRateLimited(await client.NewOrderAsync(("dns", "fails.example.org")), "FailedValidationsPerIdentifier");
        (await client.NewOrderAsync(("dns", "fine.example.org"))).Expect(HttpStatusCode.Created);
        var otherChallenge = untouched["challenges"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "http-01")!;
        (await client.PostAsync(otherChallenge["url"]!.GetValue<string>(), new JsonObject())).Expect(HttpStatusCode.OK);
        using var stranger = server.AcmeClient();
        (await stranger.RegisterAsync()).Expect(HttpStatusCode.Created);
        (await stranger.NewOrderAsync(("dns", "fails.example.org"))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_limit_of_zero_is_unlimited()
    {
        await using var server = Server(("Pki:Acme:RateLimits:NoncesPerIp:Limit", "0"));
        using var client = server.AcmeClient();
        await client.LoadDirectoryAsync();

        for (var i = 0; i < 50; i++)
        {
            (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, client.Url("newNonce")))).Expect(HttpStatusCode.OK);
        }
    }

    [Fact]
    public void A_negative_limit_or_an_override_that_matches_nothing_is_refused_at_start()
    {
        var options = new PkiProtocolServer.Acme.RateLimits.AcmeRateLimitOptions();
        options.NoncesPerIp.Limit = -1;
        options.NewAccountsPerIp.Overrides.Add(new PkiProtocolServer.Acme.RateLimits.RateLimitOverride { Limit = 5 });
        options.NewAccountsPerIp.Overrides.Add(new PkiProtocolServer.Acme.RateLimits.RateLimitOverride { Network = "10.0.0.0/33", Limit = 5 });

        var problems = options.Validate().ToList();

        Assert.Contains(problems, p => p.Contains("NoncesPerIp:Limit", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Overrides:0 names nothing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'10.0.0.0/33'", StringComparison.Ordinal));
        Assert.Empty(new PkiProtocolServer.Acme.RateLimits.AcmeRateLimitOptions().Validate());
    }
}
