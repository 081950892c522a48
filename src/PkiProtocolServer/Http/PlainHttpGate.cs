namespace PkiProtocolServer.Http;

/// <summary>
/// The plain-HTTP listener serves only what RFC 5280 / 6960 relying parties fetch without TLS
/// (CA certificates, CRLs, OCSP), health probes and the Prometheus scrape; everything else is HTTPS-only.
/// </summary>
public sealed class PlainHttpGate
{
    private static readonly string[] AllowedPrefixes = ["/ca.pem", "/ca.der", "/ca-chain.pem", "/issuers/", "/crl/", "/ocsp", "/healthz", "/readyz", "/metrics"];

    private readonly RequestDelegate _next;

    public PlainHttpGate(RequestDelegate next)
    {
        _next = next;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.IsHttps || AllowedPrefixes.Any(p => context.Request.Path.StartsWithSegments(p.TrimEnd('/'), StringComparison.Ordinal)))
        {
            return _next(context);
        }

        return Problems.WriteAsync(context, 404, "https-only", "Served over HTTPS only",
            $"{context.Request.Path} is served on the HTTPS listener; plain HTTP serves only CA certificates, CRLs and OCSP");
    }
}
