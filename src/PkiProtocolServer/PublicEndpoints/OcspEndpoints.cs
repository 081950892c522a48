using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Ocsp;

namespace PkiProtocolServer.PublicEndpoints;

/// <summary>
/// The OCSP responder over HTTP on both listeners (RFC 6960 appendix A, RFC 5019 section 5): POST with the DER
/// request as body, GET with it base64- and URL-encoded in the path. Every answer is HTTP 200 with an OCSP
/// responseStatus, malformed input included; successful cacheable answers carry the RFC 5019 6.2 headers.
/// </summary>
public static partial class OcspEndpoints
{
    public const string RequestType = "application/ocsp-request";
    public const string ResponseType = "application/ocsp-response";

    /// <summary>Far above any real request (one CertID is ~80 bytes; signed requests carry a few certificates).</summary>
    private const int MaxRequestBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapOcsp(this IEndpointRouteBuilder app)
    {
        app.MapPost("/ocsp", async (HttpContext http, OcspResponder responder, RevocationOptions options, TimeProvider time, ILoggerFactory logs, CancellationToken ct) =>
        {
            var body = await ReadBodyAsync(http.Request, ct);
            var result = body is null ? OcspResult.Error(OcspResponseStatus.MalformedRequest) : await responder.RespondAsync(body, ct);
            return Answer(http, result, options, time, logs);
        });

        app.MapGet("/ocsp/{**request}", async (HttpContext http, OcspResponder responder, RevocationOptions options, TimeProvider time, ILoggerFactory logs, CancellationToken ct) =>
        {
            var der = DecodePath(http.Request.Path.Value!);
            var result = der is null ? OcspResult.Error(OcspResponseStatus.MalformedRequest) : await responder.RespondAsync(der, ct);
            return Answer(http, result, options, time, logs);
        });

        return app;
    }

    /// <summary>The DER from <c>/ocsp/{url-encoded base64}</c>; base64url and unencoded '/' and '+' are tolerated (clients differ).</summary>
    internal static byte[]? DecodePath(string path)
    {
        var encoded = path.Length > "/ocsp/".Length ? path["/ocsp/".Length..] : string.Empty;
        var text = Uri.UnescapeDataString(encoded).Replace(' ', '+').Replace('-', '+').Replace('_', '/').Trim();
        if (text.Length == 0)
        {
            return null;
        }

        text += new string('=', (4 - (text.Length % 4)) % 4);
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxRequestBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxRequestBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IResult Answer(HttpContext http, OcspResult result, RevocationOptions options, TimeProvider time, ILoggerFactory logs)
    {
        if (result.Failure is not null)
        {
            LogFailure(logs.CreateLogger(typeof(OcspEndpoints)), result.Failure, result.Status.ToString());
        }

        var headers = http.Response.Headers;
        var now = time.GetUtcNow();
        if (result.Cacheable && result.ThisUpdate is { } thisUpdate && result.NextUpdate is { } nextUpdate && nextUpdate > now)
        {
            // RFC 5019 6.2: max-age no later than nextUpdate; Last-Modified is thisUpdate; ETag identifies the response.
            var maxAge = nextUpdate - now < options.Ocsp.HttpMaxAge ? nextUpdate - now : options.Ocsp.HttpMaxAge;
            var seconds = Math.Max(0, (long)maxAge.TotalSeconds);
            headers.CacheControl = $"max-age={seconds.ToString(CultureInfo.InvariantCulture)}, public, no-transform, must-revalidate";
            headers.LastModified = HeaderUtilities.FormatDate(thisUpdate);
            headers.Expires = HeaderUtilities.FormatDate(now.AddSeconds(seconds));
            headers.ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(result.Der).AsSpan(0, 16)) + "\"";
        }
        else
        {
            headers.CacheControl = "no-cache, no-store, must-revalidate";
        }

        return Results.Bytes(result.Der, ResponseType);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "OCSP request answered {Status}")]
    private static partial void LogFailure(ILogger logger, Exception exception, string status);
}
