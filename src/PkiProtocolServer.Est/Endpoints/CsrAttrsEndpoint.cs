using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Est.Errors;
using PkiProtocolServer.Est.Wire;

namespace PkiProtocolServer.Est.Endpoints;

/// <summary><c>GET /csrattrs</c> (RFC 7030 4.5): what a CSR on this label should contain, from the label's role.</summary>
public static class CsrAttrsEndpoint
{
    public static async Task Handle(HttpContext context, string? label)
    {
        var resolved = EstRequests.Label(context, label);
        var role = await context.RequestServices.GetRequiredService<IRoleStore>().GetAsync(resolved.Role, context.RequestAborted)
            ?? throw EstException.Unavailable($"EST label {resolved.DisplayName} cannot issue: its role '{resolved.Role}' does not exist");
        context.Response.Headers.CacheControl = "no-cache";
        await EstRequests.WriteBase64Async(context, EstMediaTypes.CsrAttrs, CsrAttributes.Encode(role, resolved.RequireChannelBinding, resolved.CsrAttributesForm));
    }
}
