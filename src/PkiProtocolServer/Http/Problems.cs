using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer;

/// <summary>
/// RFC 9457 problem details for the admin API and the public endpoints: the one place where core errors
/// become HTTP. Types are URNs naming the kind of problem; <c>subproblems</c> names each refused value.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";
    public const string TypePrefix = "urn:pkiprotocolserver:problem:";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static (int Status, string Type, string Title) Map(PkiErrorKind kind) => kind switch
    {
        PkiErrorKind.Malformed => (400, "malformed", "Malformed request"),
        PkiErrorKind.BadCsr => (400, "bad-csr", "Unacceptable CSR"),
        PkiErrorKind.PolicyRefused => (400, "policy-refused", "Refused by policy"),
        PkiErrorKind.NotFound => (404, "not-found", "Not found"),
        PkiErrorKind.Conflict => (409, "conflict", "Conflict"),
        PkiErrorKind.Forbidden => (403, "forbidden", "Forbidden"),
        PkiErrorKind.AlreadyRevoked => (409, "already-revoked", "Already revoked"),
        _ => (503, "unavailable", "Service unavailable"),
    };

    public static Task WriteAsync(HttpContext context, PkiException error)
    {
        var (status, type, title) = Map(error.Kind);
        if (status == 503)
        {
            context.Response.Headers.RetryAfter = "5";
        }

        var subproblems = error.Subproblems.Count == 0
            ? null
            : error.Subproblems.Select(s => new { rule = s.Rule, value = s.Value, detail = s.Detail }).ToList();
        return WriteAsync(context, status, type, title, error.Message, subproblems);
    }

    public static async Task WriteAsync(HttpContext context, int status, string type, string title, string detail, object? subproblems = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        context.Response.Headers.CacheControl = "no-store";
        var body = new Dictionary<string, object?>
        {
            ["type"] = TypePrefix + type,
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = context.Request.Path.Value,
        };
        if (subproblems is not null)
        {
            body["subproblems"] = subproblems;
        }

        await JsonSerializer.SerializeAsync(context.Response.Body, body, Json, context.RequestAborted).ConfigureAwait(false);
    }
}
