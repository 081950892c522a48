using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Http;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>
/// newNonce (RFC 8555 7.2): HEAD answers 200, GET 204; the nonce itself is the <c>Replay-Nonce</c> every ACME
/// response carries (<see cref="AcmeResponseMiddleware"/>), with <c>Cache-Control: no-store</c>.
/// </summary>
public sealed class NewNonceEndpoint
{
    private readonly AcmeDirectories _directories;

    public NewNonceEndpoint(AcmeDirectories directories)
    {
        _directories = directories;
    }

    public IResult Handle(HttpContext http)
    {
        _directories.Resolve(http); // 404 for an unknown directory
        return AcmeResult.Empty(HttpMethods.IsHead(http.Request.Method) ? StatusCodes.Status200OK : StatusCodes.Status204NoContent);
    }
}
