using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using PkiProtocolServer.Est.Errors;
using PkiProtocolServer.Est.Labels;
using PkiProtocolServer.Est.Wire;

namespace PkiProtocolServer.Est.Endpoints;

/// <summary>Reading what every EST request carries: its label and, for the POST operations, a base64 PKCS#10 body.</summary>
public static class EstRequests
{
    /// <summary>Far above any real CSR (an RSA-4096 request is under 2 KiB of base64).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static EstLabel Label(HttpContext context, string? label) =>
        context.RequestServices.GetRequiredService<EstLabelRegistry>().Find(label)
        ?? throw EstException.NotFound($"there is no EST label '{label}' on this server");

    /// <summary>The DER of a CSR body: Content-Type application/pkcs10, base64 (RFC 7030 4.2.1, RFC 8951 3.1).</summary>
    public static async Task<byte[]> ReadCsrAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            || !parsed.MediaType.Equals(EstMediaTypes.Pkcs10, StringComparison.OrdinalIgnoreCase))
        {
            throw EstException.UnsupportedMediaType($"the request body must be a PKCS#10 CSR sent as {EstMediaTypes.Pkcs10} (base64), not '{contentType ?? "nothing"}'");
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            throw new EstException(413, "too-large", "Request body too large", $"a CSR body may be at most {MaxBodyBytes} bytes");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new EstException(413, "too-large", "Request body too large", $"a CSR body may be at most {MaxBodyBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        // RFC 8951 3.1: Content-Transfer-Encoding is not looked at; the body is base64 regardless.
        return EstBase64.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), "the CSR");
    }

    /// <summary>Writes a base64 body with its EST headers (RFC 8951 3.1: Content-Transfer-Encoding: base64).</summary>
    public static Task WriteBase64Async(HttpContext context, string contentType, byte[] der)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers[EstMediaTypes.TransferEncodingHeader] = "base64";
        return response.WriteAsync(EstBase64.Encode(der), context.RequestAborted);
    }
}
