using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Http;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>
/// revokeCert (RFC 8555 7.6). The request passes the whole JWS pipeline (account key or the certificate's own key),
/// but this build has no revocation in its core yet, so it answers that plainly rather than pretending.
/// </summary>
public sealed class RevokeCertEndpoint
{
    public IResult Handle(HttpContext http)
    {
        http.AcmeRequest();
        // TODO(issue 4): revoke through the core's RevocationService once the revocation branch is merged.
        throw new AcmeException(AcmeErrorType.ServerInternal, "certificate revocation is not available on this server yet", StatusCodes.Status501NotImplemented);
    }
}
