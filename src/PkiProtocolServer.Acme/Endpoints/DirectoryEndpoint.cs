using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Resources;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>GET the directory (RFC 8555 7.1.1): every resource URL and <c>meta</c>. No newAuthz: pre-authorization is not offered. <c>renewalInfo</c> is RFC 9773's, <c>meta.profiles</c> draft-ietf-acme-profiles'.</summary>
public sealed class DirectoryEndpoint
{
    private readonly AcmeDirectories _directories;

    public DirectoryEndpoint(AcmeDirectories directories)
    {
        _directories = directories;
    }

    public IResult Handle(HttpContext http)
    {
        var directory = _directories.Resolve(http);
        var urls = AcmeUrls.For(http, directory.Name);
        return AcmeResult.Json(new DirectoryResource(
            urls.NewNonce,
            urls.NewAccount,
            urls.NewOrder,
            urls.RevokeCert,
            urls.KeyChange,
            urls.RenewalInfo,
            new DirectoryMeta(
                directory.TermsOfService,
                directory.Website,
                directory.CaaIdentities.Count == 0 ? null : directory.CaaIdentities,
                directory.ExternalAccountRequired,
                directory.Profiles.Count == 0 ? null : directory.Profiles.Values.ToDictionary(p => p.Name, p => p.Description, StringComparer.Ordinal)))
        {
            NewAuthz = urls.NewAuthz,
        });
    }
}
