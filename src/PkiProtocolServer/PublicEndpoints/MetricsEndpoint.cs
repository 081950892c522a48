using Prometheus;

namespace PkiProtocolServer.PublicEndpoints;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format (prometheus-net): this server's own
/// <see cref="System.Diagnostics.Metrics.Meter"/>s (the ACME front end's <c>PkiProtocolServer.Acme</c> among them, names
/// with dots as underscores), plus the process and runtime figures. ASP.NET Core's meters are left out: listening to
/// them turns on a histogram and counters on every request, a cost on the hot path measured by the ACME load run. Served on both listeners without authentication, like the health probes:
/// it says how busy the server is, never what it holds.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IEndpointRouteBuilder MapPrometheusMetrics(this IEndpointRouteBuilder app)
    {
        Metrics.ConfigureMeterAdapter(options =>
            options.InstrumentFilterPredicate = instrument => instrument.Meter.Name.StartsWith("PkiProtocolServer", StringComparison.Ordinal));
        app.MapMetrics(Path).AllowAnonymous();
        // prometheus-net starts its .NET Meter listener just before the first scrape; a counter's measurements
        // from before that would be lost, so collect once now (idempotent, into nothing) to start it with the host.
        Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
        return app;
    }
}
