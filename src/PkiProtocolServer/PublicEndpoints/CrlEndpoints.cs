using System.Globalization;
using Microsoft.Net.Http.Headers;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.PublicEndpoints;

/// <summary>
/// CRLs for relying parties, on both listeners (RFC 5280 CDP targets): <c>/crl/{issuer}.crl</c> and
/// <c>/crl/{issuer}-delta.crl</c> in DER, the same with <c>.pem</c>, and shards at
/// <c>/crl/{issuer}/{n}.crl</c> and <c>/crl/{issuer}/{n}-delta.crl</c>. <c>{issuer}</c> is an id, a name or <c>default</c>.
/// </summary>
public static class CrlEndpoints
{
    private const string DerType = "application/pkix-crl";
    private const string PemType = "application/x-pem-file";

    public static IEndpointRouteBuilder MapCrls(this IEndpointRouteBuilder app)
    {
        string[] methods = ["GET", "HEAD"];
        app.MapMethods("/crl/{file}", methods, async (string file, IssuerCatalog catalog, CrlReader reader, RevocationOptions options, TimeProvider time, HttpContext http, CancellationToken ct) =>
        {
            var (stem, delta, pem) = ParseFile(file);
            var snapshot = await catalog.GetAsync(ct);
            // An issuer literally named "x-delta" wins over the delta CRL of "x" only when "x" does not exist.
            if (delta && snapshot.Find(stem) is null && snapshot.Find(stem + "-delta") is not null)
            {
                (stem, delta) = (stem + "-delta", false);
            }

            return await ServeAsync(snapshot.Resolve(stem), null, delta, pem, reader, options, time, http, ct);
        });

        app.MapMethods("/crl/{issuer}/{file}", methods, async (string issuer, string file, IssuerCatalog catalog, CrlReader reader, RevocationOptions options, TimeProvider time, HttpContext http, CancellationToken ct) =>
        {
            var (stem, delta, pem) = ParseFile(file);
            if (!int.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out var shard))
            {
                throw PkiException.NotFound($"'{stem}' is not a CRL shard number");
            }

            return await ServeAsync((await catalog.GetAsync(ct)).Resolve(issuer), shard, delta, pem, reader, options, time, http, ct);
        });

        return app;
    }

    private static (string Stem, bool Delta, bool Pem) ParseFile(string file)
    {
        var pem = file.EndsWith(".pem", StringComparison.Ordinal);
        if (!pem && !file.EndsWith(".crl", StringComparison.Ordinal))
        {
            throw PkiException.NotFound($"'{file}' is not a CRL file name (use .crl for DER or .pem)");
        }

        var stem = file[..^4];
        var delta = stem.EndsWith("-delta", StringComparison.Ordinal);
        return (delta ? stem[..^6] : stem, delta, pem);
    }

    private static async Task<IResult> ServeAsync(IssuerContext issuer, int? shard, bool delta, bool pem, CrlReader reader, RevocationOptions options, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!options.Crl.Enabled || !CrlPublisher.SignsCrls(issuer))
        {
            throw PkiException.NotFound($"issuer '{issuer.Issuer.Name}' publishes no CRL here (CRLs are off, or it has no key or no crl-signing usage)");
        }

        var crl = await reader.GetAsync(issuer, shard, delta, ct)
            ?? throw PkiException.NotFound(delta && !options.Crl.DeltaEnabled ? "delta CRLs are off" : $"issuer '{issuer.Issuer.Name}' has no CRL shard {shard}");

        var now = time.GetUtcNow();
        var maxAge = crl.Info.NextUpdate - now;
        if (maxAge > options.Crl.HttpMaxAge)
        {
            maxAge = options.Crl.HttpMaxAge;
        }

        var headers = http.Response.Headers;
        var seconds = Math.Max(0, (long)maxAge.TotalSeconds);
        headers.CacheControl = $"public, max-age={seconds.ToString(CultureInfo.InvariantCulture)}, no-transform";
        headers.LastModified = HeaderUtilities.FormatDate(crl.Info.ThisUpdate);
        headers.Expires = HeaderUtilities.FormatDate(now.AddSeconds(seconds));
        var etag = $"\"{crl.Info.Number.ToString(CultureInfo.InvariantCulture)}{(pem ? "p" : "d")}\"";
        headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*")))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return pem
            ? Results.Text(Pem.Encode("X509 CRL", crl.Der), PemType)
            : Results.Bytes(crl.Der, DerType);
    }
}
