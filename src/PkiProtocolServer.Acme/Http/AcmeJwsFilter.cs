using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Errors;

namespace PkiProtocolServer.Acme.Http;

/// <summary>
/// The endpoint filter on every ACME route (RFC 8555 6): a POST must be <c>application/jose+json</c>, within the size
/// limit, and pass <see cref="AcmeRequestVerifier"/> as its endpoint's metadata says; the verified request is then
/// available to the endpoint through <see cref="AcmeHttpContextExtensions.AcmeRequest"/>. A POST endpoint that
/// declares no key mode is a bug and fails closed.
/// </summary>
public sealed class AcmeJwsFilter : IEndpointFilter
{
    public const string JoseJson = "application/jose+json";

    private readonly AcmeRequestVerifier _verifier;
    private readonly AcmeDirectories _directories;
    private readonly int _maxBytes;

    public AcmeJwsFilter(AcmeRequestVerifier verifier, AcmeDirectories directories, IOptions<AcmeOptions> options)
    {
        _verifier = verifier;
        _directories = directories;
        _maxBytes = options.Value.MaxRequestBytes;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            return await next(context).ConfigureAwait(false);
        }

        var endpoint = http.GetEndpoint()?.Metadata.GetMetadata<AcmeEndpointMetadata>()
            ?? throw new InvalidOperationException($"ACME POST endpoint {http.Request.Path} declares no key mode (RequireKid/RequireJwk)");

        // 6.2: requests are JWS objects in flattened JSON; the media type says so.
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, JoseJson, StringComparison.OrdinalIgnoreCase))
        {
            throw new AcmeException(AcmeErrorType.Malformed, $"the Content-Type must be {JoseJson}, not '{http.Request.ContentType}'", StatusCodes.Status415UnsupportedMediaType);
        }

        var body = await ReadBodyAsync(http).ConfigureAwait(false);
        var directory = _directories.Resolve(http);
        var urls = AcmeUrls.For(http, directory.Name);
        var request = await _verifier.VerifyAsync(body, AcmeUrls.RequestUrl(http), directory, urls, endpoint, http.RequestAborted).ConfigureAwait(false);
        http.Features.Set(request);
        return await next(context).ConfigureAwait(false);
    }

    private async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > _maxBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > _maxBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private AcmeException TooLarge() =>
        new(AcmeErrorType.Malformed, $"the request body is larger than the {_maxBytes} bytes this server accepts", StatusCodes.Status413PayloadTooLarge);
}

/// <summary>Access to the verified request and the directory of the current ACME request.</summary>
public static class AcmeHttpContextExtensions
{
    /// <summary>The request verified by <see cref="AcmeJwsFilter"/>; a bug if the endpoint was not filtered.</summary>
    public static AcmeRequest AcmeRequest(this HttpContext context) =>
        context.Features.Get<AcmeRequest>() ?? throw new InvalidOperationException("the ACME request was not verified: is the endpoint in the ACME group?");

    /// <summary>The directory of the route (<c>{directory}</c>), or the default one; 404 for an unknown directory.</summary>
    public static AcmeDirectory Resolve(this AcmeDirectories directories, HttpContext context)
    {
        var name = context.GetRouteValue("directory") as string;
        if (name is null)
        {
            return directories.Default;
        }

        return AcmePaths.ReservedSegments.Contains(name) ? throw AcmeException.NotFound($"no ACME directory is named '{name}'")
            : directories.Find(name) ?? throw AcmeException.NotFound($"no ACME directory is named '{name}'");
    }
}
