using System.Text.Json;
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
            if (context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted && context.Response.ContentLength is null && string.IsNullOrEmpty(context.Response.ContentType))
            {
                await Problems.WriteAsync(context, 404, "not-found", "Not found", $"nothing is served at {context.Request.Path}").ConfigureAwait(false);
            }
            else if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
            {
                await Problems.WriteAsync(context, 405, "method-not-allowed", "Method not allowed", $"{context.Request.Method} is not allowed on {context.Request.Path}").ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
