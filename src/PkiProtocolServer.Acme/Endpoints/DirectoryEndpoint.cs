using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Resources;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>GET the directory (RFC 8555 7.1.1): every resource URL and <c>meta</c>. No newAuthz: pre-authorization is not offered.</summary>
public sealed class DirectoryEndpoint
{
    private readonly AcmeProfiles _profiles;

    public DirectoryEndpoint(AcmeProfiles profiles)
    {
        _profiles = profiles;
    }

    public IResult Handle(HttpContext http)
    {
        var profile = _profiles.Resolve(http);
        var urls = AcmeUrls.For(http, profile.Name);
        return AcmeResult.Json(new DirectoryResource(
            urls.NewNonce,
            urls.NewAccount,
            urls.NewOrder,
            urls.RevokeCert,
            urls.KeyChange,
            new DirectoryMeta(profile.TermsOfService, profile.Website, profile.CaaIdentities.Count == 0 ? null : profile.CaaIdentities, profile.ExternalAccountRequired)));
    }
}
