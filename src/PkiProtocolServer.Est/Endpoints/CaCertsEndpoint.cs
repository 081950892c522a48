using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Est.Errors;
using PkiProtocolServer.Est.Wire;

namespace PkiProtocolServer.Est.Endpoints;

/// <summary>
/// <c>GET /cacerts</c> (RFC 7030 4.1): the label's issuing CA and its chain up to the root, as certs-only CMS. Needs no
/// authentication: it is how a device bootstraps its trust (RFC 7030 4.1.1, after out-of-band verification).
/// </summary>
public static class CaCertsEndpoint
{
    public static async Task Handle(HttpContext context, string? label)
    {
        var resolved = EstRequests.Label(context, label);
        var ct = context.RequestAborted;
        var role = await context.RequestServices.GetRequiredService<IRoleStore>().GetAsync(resolved.Role, ct)
            ?? throw EstException.Unavailable($"EST label {resolved.DisplayName} cannot issue: its role '{resolved.Role}' does not exist");
        var snapshot = await context.RequestServices.GetRequiredService<IssuerCatalog>().GetAsync(ct);
        var issuer = snapshot.Resolve(resolved.IssuerRef ?? role.IssuerRef);
        // RFC 7030 4.1.3: the current root must be included, with whatever is needed to chain an issued certificate to it.
        var chain = issuer.Chain.Select(c => c.Issuer.CertificateDer).ToList();
        context.Response.Headers.CacheControl = "public, max-age=300";
        await EstRequests.WriteBase64Async(context, EstMediaTypes.CertsOnly, CertsOnly.Encode(chain));
    }
}
