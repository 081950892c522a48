using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using PkiProtocolServer.Acme.Services;

namespace PkiProtocolServer.Acme.Tests.Limits;

/// <summary>The janitor's removal of deactivated accounts, and what it and the rate limiter count on the ACME meter and at <c>/metrics</c>.</summary>
public sealed class TidyTests
{
    [Fact]
    public async Task A_deactivated_account_is_removed_after_its_retention_and_its_key_may_register_again()
    {
        await using var server = new AcmeServerFactory(new Dictionary<string, string?> { ["Pki:Acme:Tidy:DeactivatedAccountRetention"] = "00:00:00" });
        using var client = server.AcmeClient();
        (await client.RegisterAsync()).Expect(HttpStatusCode.Created);
        var accountUrl = client.Kid!;
        (await client.PostAsync(accountUrl, new JsonObject { ["status"] = "deactivated" })).Expect(HttpStatusCode.OK);
        var metrics = server.Services.GetRequiredService<AcmeMetrics>();
        var removed = new Dictionary<string, long>();
        using var listener = Listen(metrics, AcmeMetrics.TidyRemoved, (value, kind) => removed[kind] = removed.GetValueOrDefault(kind) + value);

        await server.Services.GetRequiredService<AcmeJanitor>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, removed.GetValueOrDefault("deactivated_account"));
        using var again = server.AcmeClient(client.Key);
        var registered = (await again.RegisterAsync()).Expect(HttpStatusCode.Created);
        Assert.NotEqual(accountUrl, registered.Location);
    }

    [Fact]
    public async Task A_deactivated_account_within_its_retention_stays()
    {
        await using var server = new AcmeServerFactory();
        using var client = server.AcmeClient();
        (await client.RegisterAsync()).Expect(HttpStatusCode.Created);
        (await client.PostAsync(client.Kid!, new JsonObject { ["status"] = "deactivated" })).Expect(HttpStatusCode.OK);

        await server.Services.GetRequiredService<AcmeJanitor>().SweepAsync(CancellationToken.None);

        using var again = server.AcmeClient(client.Key);
        (await again.RegisterAsync()).ExpectProblem(HttpStatusCode.Forbidden, "unauthorized");
    }

    [Fact]
    public async Task Rate_limit_refusals_are_counted_by_limit_and_exported_at_metrics()
    {
        await using var server = new AcmeServerFactory(new Dictionary<string, string?> { ["Pki:Acme:RateLimits:NoncesPerIp:Limit"] = "1" });
        var refused = new Dictionary<string, long>();
        using var listener = Listen(server.Services.GetRequiredService<AcmeMetrics>(), AcmeMetrics.RateLimitedRequests, (value, limit) => refused[limit] = refused.GetValueOrDefault(limit) + value);
        using var client = server.AcmeClient();
        await client.LoadDirectoryAsync();

        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, client.Url("newNonce")))).Expect(HttpStatusCode.OK);
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, client.Url("newNonce")))).Expect((HttpStatusCode)429);

        Assert.Equal(1, refused.GetValueOrDefault("NoncesPerIp"));
        using var scrape = await client.Http.GetAsync("/metrics");
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("pkiprotocolserver_acme_rate_limited", text);
    }

    /// <summary>Listens to one counter of this server's meter only (other servers in the process have their own).</summary>
    private static MeterListener Listen(AcmeMetrics metrics, string instrument, Action<long, string> record)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (ReferenceEquals(i.Meter, metrics.Meter) && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                record(value, tag.Value?.ToString() ?? string.Empty);
            }
        });
        listener.Start();
        return listener;
    }
}
