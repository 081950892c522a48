using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Services;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>
/// Certificate download (RFC 8555 7.4.2): POST-as-GET by the account that ordered it; the chain as
/// <c>application/pem-certificate-chain</c>, <c>Link: rel="up"</c> to the issuing CA's certificate and
/// <c>rel="alternate"</c> to every other chain the issuer has.
/// </summary>
public sealed class CertificateEndpoint
{
    public const string PemCertificateChain = "application/pem-certificate-chain";

    private readonly AcmeObjects _objects;

    public CertificateEndpoint(AcmeObjects objects)
    {
        _objects = objects;
    }

    public async Task<IResult> HandleAsync(HttpContext http, string id, int? index)
    {
        var request = http.AcmeRequest();
        var certificate = await _objects.CertificateAsync(id, request.RequireAccount(), http.RequestAborted);
        var chosen = index ?? 0;
        if (chosen < 0 || chosen >= certificate.Chains.Count || index == 0)
        {
            throw AcmeException.NotFound("the certificate has no such alternate chain");
        }

        var result = AcmeResult.Text(certificate.Chains[chosen], PemCertificateChain)
            .WithLink(request.Urls.IssuerCertificate(certificate.IssuerId), "up");
        for (var other = 0; other < certificate.Chains.Count; other++)
        {
            if (other != chosen)
            {
                result.WithLink(other == 0 ? request.Urls.Certificate(id) : request.Urls.CertificateAlternate(id, other), "alternate");
            }
        }

        return result;
    }
}
