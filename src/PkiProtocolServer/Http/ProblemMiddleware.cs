using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Http;

/// <summary>
/// Turns every failure into a problem document: core errors into their 4xx, unreadable input into 400,
/// and anything unexpected into a 500 whose details stay in the log (a 500 is a bug to fix).
/// </summary>
public sealed partial class ProblemMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<ProblemMiddleware> _logger;

    public ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> logger)
    {
        _next = next;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await _next(context).ConfigureAwait(false);
            var response = context.Response;
            if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
            {
                // An error status set without a body (routing, request binding): give it a problem document too.
                var (type, title, detail) = Describe(context);
                await Problems.WriteAsync(context, response.StatusCode, type, title, detail).ConfigureAwait(false);
            }
        }
        catch (PkiException ex)
        {
            await Problems.WriteAsync(context, ex).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            var detail = ex.InnerException is JsonException json ? "the JSON body cannot be read: " + json.Message : ex.Message;
            await Problems.WriteAsync(context, ex.StatusCode, "malformed", "Malformed request", detail).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await Problems.WriteAsync(context, 400, "malformed", "Malformed request", "the JSON body cannot be read: " + ex.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception ex)
        {
            LogUnhandled(_logger, ex, context.Request.Method, context.Request.Path);
            await Problems.WriteAsync(context, 500, "internal", "Internal server error", "the server failed; the error is logged").ConfigureAwait(false);
        }
    }

    private static (string Type, string Title, string Detail) Describe(HttpContext context)
    {
        var request = context.Request;
        return context.Response.StatusCode switch
        {
            StatusCodes.Status400BadRequest => ("malformed", "Malformed request", $"{request.Method} {request.Path}: the request cannot be read"),
            StatusCodes.Status404NotFound => ("not-found", "Not found", $"nothing is served at {request.Path}"),
            StatusCodes.Status405MethodNotAllowed => ("method-not-allowed", "Method not allowed", $"{request.Method} is not allowed on {request.Path}"),
            StatusCodes.Status413PayloadTooLarge => ("too-large", "Request body too large", $"the request body is larger than the {RequestBodyLimit.MaxBytes} bytes allowed"),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported-media-type", "Unsupported media type",
                $"the body of {request.Method} {request.Path} must be JSON (Content-Type: application/json), not '{request.ContentType}'"),
            var status => ("http-" + status, ReasonPhrases.GetReasonPhrase(status), $"{request.Method} {request.Path}: {ReasonPhrases.GetReasonPhrase(status)}"),
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
