using Microsoft.Extensions.DependencyInjection;
using PkiProtocolServer.Acme.Testing;

namespace PkiProtocolServer.Acme.Tests.Limits;

/// <summary>The <c>Pki:Acme:Testing</c> knobs: off by default, each doing what Pebble's counterpart does when on.</summary>
public sealed class TestingKnobTests
{
    private static AcmeServerFactory Server(params (string Key, string Value)[] settings) =>
        new(settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    /// <summary>Posts like a client that follows RFC 8555 6.5: on badNonce, retry with the Replay-Nonce of the refusal.</summary>
    private static async Task<(AcmeResponse Response, int BadNonces)> PostRetryingAsync(Func<Task<AcmeResponse>> post)
    {
        for (var badNonces = 0; badNonces < 60; badNonces++)
        {
            var response = await post();
            if (!response.Body.Contains("urn:ietf:params:acme:error:badNonce", StringComparison.Ordinal))
            {
                return (response, badNonces);
            }

            Assert.False(string.IsNullOrEmpty(response.ReplayNonce), "a badNonce refusal carries a fresh Replay-Nonce");
        }

        throw new Xunit.Sdk.XunitException("60 badNonce refusals in a row");
    }

    [Fact]
    public async Task At_a_bad_nonce_rate_of_1_every_signed_request_is_badNonce()
    {
        await using var server = Server(("Pki:Acme:Testing:BadNonceRate", "1"));
        using var client = server.AcmeClient();

        for (var i = 0; i < 5; i++)
        {
            (await client.RegisterAsync()).ExpectProblem(HttpStatusCode.BadRequest, "badNonce");
        }
    }

    [Fact]
    public async Task At_a_bad_nonce_rate_of_one_half_every_other_nonce_is_refused_and_a_client_that_retries_once_gets_through()
    {
        await using var server = Server(("Pki:Acme:Testing:BadNonceRate", "0.5"));
        using var client = server.AcmeClient();
        var badNonces = 0;

        var (registered, refused) = await PostRetryingAsync(() => client.RegisterAsync());
        registered.Expect(HttpStatusCode.Created);
        badNonces += refused;
        for (var i = 0; i < 20; i++)
        {
            var (order, more) = await PostRetryingAsync(() => client.NewOrderAsync(("dns", $"n{i}.example.org")));
            order.Expect(HttpStatusCode.Created);
            Assert.True(more <= 1, $"{more} badNonce refusals in a row at BadNonceRate=0.5");
            badNonces += more;
        }

        // Every other good nonce is refused: after the first request, each one is refused once and its retry accepted.
        Assert.InRange(badNonces, 20, 21);
    }

    [Fact]
    public async Task With_always_valid_a_challenge_validates_without_contacting_anyone()
    {
        await using var server = Server(("Pki:Acme:Testing:AlwaysValid", "true"), ("Pki:Acme:HttpChallengePort", "9"));
        using var client = server.AcmeClient();
        (await client.RegisterAsync()).Expect(HttpStatusCode.Created);
        var order = (await client.NewOrderAsync(("dns", "nobody-answers.example.org"))).Expect(HttpStatusCode.Created);
        var authorizationUrl = order.Json["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.GetAsync(authorizationUrl)).Expect(HttpStatusCode.OK).Json["challenges"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "http-01")!;

        (await client.PostAsync(challenge["url"]!.GetValue<string>(), new JsonObject())).Expect(HttpStatusCode.OK);

        var authorization = await client.PollAsync(authorizationUrl, a => a["status"]!.GetValue<string>() != "pending");
        Assert.Equal("valid", authorization["status"]!.GetValue<string>());
        Assert.Equal("ready", (await client.GetAsync(order.Location!)).Expect(HttpStatusCode.OK).Json["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_validation_delay_holds_the_challenge_in_processing()
    {
        await using var server = Server(("Pki:Acme:Testing:AlwaysValid", "true"), ("Pki:Acme:Testing:ValidationDelay", "01:00:00"));
        using var client = server.AcmeClient();
        (await client.RegisterAsync()).Expect(HttpStatusCode.Created);
        var order = (await client.NewOrderAsync(("dns", "slow.example.org"))).Expect(HttpStatusCode.Created);
        var authorizationUrl = order.Json["authorizations"]![0]!.GetValue<string>();
        var challengeUrl = (await client.GetAsync(authorizationUrl)).Expect(HttpStatusCode.OK).Json["challenges"]![0]!["url"]!.GetValue<string>();

        (await client.PostAsync(challengeUrl, new JsonObject())).Expect(HttpStatusCode.OK);
        // The worker has taken the attempt once its lease covers the delay; it then waits instead of validating.
        var store = server.Services.GetRequiredService<PkiProtocolServer.Acme.Stores.IAuthorizationStore>();
        var authorizationId = authorizationUrl.Split('/')[^1];
        for (var i = 0; i < 300; i++)
        {
            var stored = await store.GetAsync(authorizationId, CancellationToken.None);
            if (stored!.Challenges.Any(c => c.NextAttemptAt > DateTimeOffset.UtcNow.AddMinutes(30)))
            {
                break;
            }

            Assert.True(i < 299, "the validator never took the challenge");
            await Task.Delay(100);
        }

        var challenge = (await client.GetAsync(challengeUrl)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("processing", challenge["status"]!.GetValue<string>());
        Assert.Equal("pending", (await client.GetAsync(authorizationUrl)).Expect(HttpStatusCode.OK).Json["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_authorization_reuse_every_order_gets_new_authorizations()
    {
        await using var server = Server(("Pki:Acme:Testing:AlwaysValid", "true"), ("Pki:Acme:Testing:AuthorizationReuse", "false"));
        using var client = server.AcmeClient();
        (await client.RegisterAsync()).Expect(HttpStatusCode.Created);
        var first = (await client.NewOrderAsync(("dns", "again.example.org"))).Expect(HttpStatusCode.Created).Json["authorizations"]![0]!.GetValue<string>();
        var challengeUrl = (await client.GetAsync(first)).Expect(HttpStatusCode.OK).Json["challenges"]![0]!["url"]!.GetValue<string>();
        (await client.PostAsync(challengeUrl, new JsonObject())).Expect(HttpStatusCode.OK);
        Assert.Equal("valid", (await client.PollAsync(first, a => a["status"]!.GetValue<string>() != "pending"))["status"]!.GetValue<string>());

        var second = (await client.NewOrderAsync(("dns", "again.example.org"))).Expect(HttpStatusCode.Created).Json;

        Assert.NotEqual(first, second["authorizations"]![0]!.GetValue<string>());
        Assert.Equal("pending", second["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_authorization_reuse_on_by_default_a_valid_authorization_is_reused()
    {
        await using var server = Server(("Pki:Acme:Testing:AlwaysValid", "true"));
        using var client = server.AcmeClient();
        (await client.RegisterAsync()).Expect(HttpStatusCode.Created);
        var first = (await client.NewOrderAsync(("dns", "again.example.org"))).Expect(HttpStatusCode.Created).Json["authorizations"]![0]!.GetValue<string>();
        var challengeUrl = (await client.GetAsync(first)).Expect(HttpStatusCode.OK).Json["challenges"]![0]!["url"]!.GetValue<string>();
        (await client.PostAsync(challengeUrl, new JsonObject())).Expect(HttpStatusCode.OK);
        await client.PollAsync(first, a => a["status"]!.GetValue<string>() != "pending");

        var second = (await client.NewOrderAsync(("dns", "again.example.org"))).Expect(HttpStatusCode.Created).Json;

        Assert.Equal(first, second["authorizations"]![0]!.GetValue<string>());
        Assert.Equal("ready", second["status"]!.GetValue<string>());
    }

    [Fact]
    public void Every_knob_is_off_by_default_and_each_one_on_is_announced()
    {
        Assert.Empty(new AcmeTestingOptions().Active());

        var all = new AcmeTestingOptions { BadNonceRate = 0.1, AlwaysValid = true, ValidationDelay = TimeSpan.FromSeconds(2), AuthorizationReuse = false }.Active();

        Assert.Equal(4, all.Count);
        Assert.Contains(all, k => k.StartsWith("Pki:Acme:Testing:BadNonceRate=0.1", StringComparison.Ordinal));
        Assert.Contains(all, k => k.StartsWith("Pki:Acme:Testing:AlwaysValid=true", StringComparison.Ordinal));
        Assert.Contains(all, k => k.StartsWith("Pki:Acme:Testing:ValidationDelay=00:00:02", StringComparison.Ordinal));
        Assert.Contains(all, k => k.StartsWith("Pki:Acme:Testing:AuthorizationReuse=false", StringComparison.Ordinal));
    }
}
