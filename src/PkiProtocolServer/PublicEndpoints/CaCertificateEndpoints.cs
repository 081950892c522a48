using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.PublicEndpoints;

/// <summary>
/// CA certificates for relying parties, on both listeners: the default issuer at <c>/ca.pem</c>,
/// <c>/ca.der</c> and <c>/ca-chain.pem</c>, and any issuer at <c>/issuers/{id}.pem|.der</c> (the AIA
/// caIssuers target; RFC 5280 4.2.2.1 wants DER there).
/// </summary>
public static class CaCertificateEndpoints
{
    private const string PemType = "application/x-pem-file";
    private const string DerType = "application/pkix-cert";

    public static IEndpointRouteBuilder MapCaCertificates(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ca.pem", async (IssuerCatalog catalog, HttpContext http, CancellationToken ct) =>
            Cacheable(http, Results.Text(Pem.Encode("CERTIFICATE", (await catalog.GetAsync(ct)).Resolve("default").Issuer.CertificateDer), PemType)));

        app.MapGet("/ca.der", async (IssuerCatalog catalog, HttpContext http, CancellationToken ct) =>
            Cacheable(http, Results.Bytes((await catalog.GetAsync(ct)).Resolve("default").Issuer.CertificateDer, DerType)));

        app.MapGet("/ca-chain.pem", async (IssuerCatalog catalog, HttpContext http, CancellationToken ct) =>
            Cacheable(http, Results.Text(Pem.Certificates((await catalog.GetAsync(ct)).Resolve("default").Chain.Select(c => c.Issuer.CertificateDer)), PemType)));

        app.MapGet("/issuers/{id}.pem", async (string id, IssuerCatalog catalog, HttpContext http, CancellationToken ct) =>
            Cacheable(http, Results.Text(Pem.Encode("CERTIFICATE", (await catalog.GetAsync(ct)).Resolve(id).Issuer.CertificateDer), PemType)));

        app.MapGet("/issuers/{id}.der", async (string id, IssuerCatalog catalog, HttpContext http, CancellationToken ct) =>
            Cacheable(http, Results.Bytes((await catalog.GetAsync(ct)).Resolve(id).Issuer.CertificateDer, DerType)));

        return app;
    }

    private static IResult Cacheable(HttpContext http, IResult result)
    {
        // Short: the default issuer can change in a rotation.
        http.Response.Headers.CacheControl = "public, max-age=300";
        return result;
    }
}
