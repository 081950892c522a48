using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Acme.Http;

/// <summary>
/// Everything every ACME response shares, met once for all of <c>/acme</c> (errors, 404s and 405s included):
/// a fresh <c>Replay-Nonce</c> (RFC 8555 6.5), <c>Link: rel="index"</c> to the directory (7.1), <c>Cache-Control:
/// no-store</c>, and problem documents (6.7) rendered through <see cref="AcmeProblemTable"/>. A 500 is a bug; its
/// cause goes to the log only.
/// </summary>
public sealed partial class AcmeResponseMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<AcmeResponseMiddleware> _logger;

    public AcmeResponseMiddleware(RequestDelegate next, ILogger<AcmeResponseMiddleware> logger)
    {
        _next = next;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context, NonceService nonces, AcmeDirectories directories, IOptions<AcmeOptions> options)
    {
        var directory = AcmePaths.DirectoryOf(context.Request.Path.Value ?? string.Empty, directories.Exists) ?? AcmePaths.DefaultDirectory;
        var urls = AcmeUrls.For(context, directory);
        context.Response.OnStarting(() => AddCommonHeadersAsync(context, nonces, urls));
        try
        {
            // The size limit is ACME's own (and far below the host's): a body announced larger is refused unread.
            if (context.Request.ContentLength > options.Value.MaxRequestBytes)
            {
                throw new AcmeException(AcmeErrorType.Malformed, $"the request body is larger than the {options.Value.MaxRequestBytes} bytes this server accepts", StatusCodes.Status413PayloadTooLarge);
            }

            await _next(context).ConfigureAwait(false);
            var response = context.Response;
            if (response.StatusCode >= 400 && !response.HasStarted && string.IsNullOrEmpty(response.ContentType))
            {
                await WriteAsync(context, StatusProblem(context)).ConfigureAwait(false);
            }
        }
        catch (AcmeException e)
        {
            if (e.Location is not null && !context.Response.HasStarted)
            {
                context.Response.Headers.Location = e.Location;
            }

            if (e.RetryAfterSeconds is { } seconds && !context.Response.HasStarted)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await WriteAsync(context, AcmeProblemTable.From(e)).ConfigureAwait(false);
        }
        catch (PkiException e)
        {
            if (e.Kind == PkiErrorKind.Unavailable && !context.Response.HasStarted)
            {
                context.Response.Headers.RetryAfter = "5";
            }

            await WriteAsync(context, AcmeProblemTable.From(e)).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            var status = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? e.StatusCode : StatusCodes.Status400BadRequest;
            await WriteAsync(context, new AcmeProblem { Type = AcmeProblemTable.Urn(AcmeErrorType.Malformed), Detail = e.Message, Status = status }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e)
        {
            LogUnhandled(_logger, e, context.Request.Method, context.Request.Path);
            await WriteAsync(context, AcmeProblemTable.Internal()).ConfigureAwait(false);
        }
    }

    private async Task AddCommonHeadersAsync(HttpContext context, NonceService nonces, AcmeUrls urls)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.Append("Link", $"<{urls.Directory}>;rel=\"index\"");
        try
        {
            headers["Replay-Nonce"] = await nonces.CreateAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PkiException or InvalidOperationException or IOException)
        {
            // The response still goes out; the client gets a nonce from newNonce (which fails loudly if the store is down).
            LogNonceFailed(_logger, e);
        }
    }

    private static AcmeProblem StatusProblem(HttpContext context)
    {
        var request = context.Request;
        var status = context.Response.StatusCode;
        var detail = status switch
        {
            StatusCodes.Status404NotFound => $"no ACME resource is at {request.Path}",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path} (ACME resources other than the directory and newNonce take POST, RFC 8555 6.3)",
            StatusCodes.Status413PayloadTooLarge => "the request body is too large",
            StatusCodes.Status415UnsupportedMediaType => "the Content-Type must be application/jose+json",
            _ => $"{request.Method} {request.Path} failed with status {status}",
        };
        return new AcmeProblem { Type = AcmeProblemTable.Urn(AcmeErrorType.Malformed), Detail = detail, Status = status };
    }

    private static async Task WriteAsync(HttpContext context, AcmeProblem problem)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        response.ContentType = AcmeProblem.ContentType;
        response.ContentLength = null;
        await JsonSerializer.SerializeAsync(response.Body, problem, AcmeJson.Options, CancellationToken.None).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on ACME {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store a Replay-Nonce for an ACME response")]
    private static partial void LogNonceFailed(ILogger logger, Exception exception);
}
