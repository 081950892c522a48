using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Est.Errors;

namespace PkiProtocolServer.Est.Endpoints;

/// <summary>
/// <c>POST /fullcmc</c> (RFC 7030 4.3): Full PKI Requests (RFC 5272 CMC) are not supported; RFC 7030 4.3 makes the
/// operation optional and 501 is the answer for an unimplemented one.
/// </summary>
public static class FullCmcEndpoint
{
    public static Task Handle(HttpContext context, string? label)
    {
        var resolved = EstRequests.Label(context, label);
        throw EstException.NotImplemented($"EST label {resolved.DisplayName} does not offer fullcmc: this server implements simpleenroll, simplereenroll, serverkeygen, csrattrs and cacerts");
    }
}
