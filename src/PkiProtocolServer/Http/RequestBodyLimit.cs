namespace PkiProtocolServer.Http;

/// <summary>
/// The request body limit, enforced by the application itself rather than left to the server: a body
/// announced larger than <see cref="MaxBytes"/> is refused with a 413 problem before any of it is read, and
/// the limit is handed to the server (Kestrel) for bodies whose length is not announced.
/// </summary>
public sealed class RequestBodyLimit
{
    /// <summary>1 MiB: far above any CSR, role or PEM bundle the API takes.</summary>
    public const long MaxBytes = 1024 * 1024;

    private readonly RequestDelegate _next;

    public RequestBodyLimit(RequestDelegate next)
    {
        _next = next;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBytes)
        {
            return Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "too-large", "Request body too large",
                $"the request body of {context.Request.ContentLength} bytes is larger than the {MaxBytes} bytes allowed");
        }

        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = MaxBytes;
        }

        return _next(context);
    }
}
