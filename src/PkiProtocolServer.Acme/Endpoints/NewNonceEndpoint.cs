using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.RateLimits;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>
/// newNonce (RFC 8555 7.2): HEAD answers 200, GET 204; the nonce itself is the <c>Replay-Nonce</c> every ACME
/// response carries (<see cref="AcmeResponseMiddleware"/>), with <c>Cache-Control: no-store</c>.
/// </summary>
public sealed class NewNonceEndpoint
{
    private readonly AcmeDirectories _directories;
    private readonly AcmeRateLimiter _limits;

    public NewNonceEndpoint(AcmeDirectories directories, AcmeRateLimiter limits)
    {
        _directories = directories;
        _limits = limits;
    }

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        _directories.Resolve(http); // 404 for an unknown directory
        await _limits.TakeNonceAsync(ClientNetwork.AddressOf(http), http.RequestAborted);
        return AcmeResult.Empty(HttpMethods.IsHead(http.Request.Method) ? StatusCodes.Status200OK : StatusCodes.Status204NoContent);
    }
}
