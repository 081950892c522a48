using Prometheus;

namespace PkiProtocolServer.PublicEndpoints;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format (prometheus-net): every <see cref="System.Diagnostics.Metrics.Meter"/>
/// of the process (the ACME front end's <c>PkiProtocolServer.Acme</c> among them, names with dots as underscores),
/// plus the process and runtime figures. Served on both listeners without authentication, like the health probes:
/// it says how busy the server is, never what it holds.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IEndpointRouteBuilder MapPrometheusMetrics(this IEndpointRouteBuilder app)
    {
        app.MapMetrics(Path).AllowAnonymous();
        return app;
    }
}
