using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Resources;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>GET the directory (RFC 8555 7.1.1): every resource URL and <c>meta</c>. No newAuthz: pre-authorization is not offered.</summary>
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
            new DirectoryMeta(directory.TermsOfService, directory.Website, directory.CaaIdentities.Count == 0 ? null : directory.CaaIdentities, directory.ExternalAccountRequired))
        {
            NewAuthz = urls.NewAuthz,
        });
    }
}
