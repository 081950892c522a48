using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.PublicEndpoints;

/// <summary>Liveness (the process answers) and readiness (the store answers and the default issuer's key opens).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));

        app.MapGet("/readyz", async (IIssuerStore store, IssuerCatalog catalog, KeyCustodyRegistry keys, CancellationToken ct) =>
        {
            try
            {
                await store.GetDefaultIdAsync(ct);
                var issuer = (await catalog.GetAsync(ct)).Default;
                if (issuer?.Key is null)
                {
                    return Results.Json(new { status = "not ready", reason = "no default issuer with a key" }, statusCode: 503);
                }

                await keys.OpenAsync(issuer.Key.KeyReference, ct);
                return Results.Ok(new { status = "ready", default_issuer = issuer.Issuer.Id, custody = issuer.Key.Custody });
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return Results.Json(new { status = "not ready", reason = ex.Message }, statusCode: 503);
            }
        });

        return app;
    }
}
