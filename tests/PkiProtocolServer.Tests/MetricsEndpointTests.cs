namespace PkiProtocolServer.Tests;

/// <summary><c>/metrics</c>: the Prometheus text format on both listeners, without a token, with the ACME meter in it.</summary>
public sealed class MetricsEndpointTests : IClassFixture<PkiServerFactory>
{
    private readonly PkiServerFactory _server;

    public MetricsEndpointTests(PkiServerFactory server)
    {
        _server = server;
    }

    [Fact]
    public async Task Metrics_are_served_in_the_prometheus_text_format_over_plain_http_and_https_without_a_token()
    {
        foreach (var client in new[] { _server.PlainHttp(), _server.Https() })
        {
            using var response = await client.GetAsync("/metrics");
            var text = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("# TYPE process_cpu_seconds_total counter", text);
        }
    }
}
