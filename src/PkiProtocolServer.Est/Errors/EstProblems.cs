using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Est.Errors;

/// <summary>
/// Renders EST failures as RFC 9457 problem documents, in the same shape and URN space as the admin API. The one table
/// from core error kinds to EST statuses lives here.
/// </summary>
public static class EstProblems
{
    public const string ContentType = "application/problem+json";
    public const string TypePrefix = "urn:pkiprotocolserver:problem:";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Core errors as EST answers them. A refused name is 403, not 400: the request is well formed and understood, and
    /// the CA refuses to fulfil it (RFC 9110 15.5.4). A missing role or issuer is the server's misconfiguration, not the
    /// device's mistake, so it is 503 rather than 404 (the EST URL itself exists).
    /// </summary>
    public static EstException FromCore(PkiException error) => error.Kind switch
    {
        PkiErrorKind.Malformed => new EstException(400, "malformed", "Bad request", error.Message),
        PkiErrorKind.BadCsr => new EstException(400, "bad-csr", "Unacceptable CSR", error.Message),
        PkiErrorKind.PolicyRefused => new EstException(403, "policy-refused", "Refused by policy", error.Message),
        PkiErrorKind.Forbidden => new EstException(403, "forbidden", "Forbidden", error.Message),
        PkiErrorKind.NotFound => new EstException(503, "misconfigured", "Service unavailable", "this EST label cannot issue: " + error.Message),
        PkiErrorKind.Conflict => new EstException(409, "conflict", "Conflict", error.Message),
        _ => new EstException(503, "unavailable", "Service unavailable", error.Message),
    };

    public static async Task WriteAsync(HttpContext context, EstException error, IReadOnlyList<PkiSubproblem>? subproblems = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.Clear();
        response.StatusCode = error.Status;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        if (error.WwwAuthenticate is not null)
        {
            response.Headers.WWWAuthenticate = error.WwwAuthenticate;
        }

        if (error.Status == 503)
        {
            response.Headers.RetryAfter = "30";
        }

        var body = new Dictionary<string, object?>
        {
            ["type"] = TypePrefix + error.Type,
            ["title"] = error.Title,
            ["status"] = error.Status,
            ["detail"] = error.Message,
            ["instance"] = context.Request.Path.Value,
        };
        if (subproblems is { Count: > 0 })
        {
            body["subproblems"] = subproblems.Select(s => new { rule = s.Rule, value = s.Value, detail = s.Detail }).ToList();
        }

        await JsonSerializer.SerializeAsync(response.Body, body, Json, context.RequestAborted).ConfigureAwait(false);
    }
}
