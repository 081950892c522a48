using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Resources;
using PkiProtocolServer.Acme.Services;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>
/// GET renewalInfo/{certID} (RFC 9773 4.1): unauthenticated, the certificate's suggested renewal window, with a
/// Retry-After that tells the client when to ask again (4.3).
/// </summary>
public sealed class RenewalInfoEndpoint
{
    private readonly RenewalInfoService _renewalInfo;
    private readonly AcmeDirectories _directories;
    private readonly int _retryAfterSeconds;

    public RenewalInfoEndpoint(RenewalInfoService renewalInfo, AcmeDirectories directories, IOptions<AcmeOptions> options)
    {
        _renewalInfo = renewalInfo;
        _directories = directories;
        _retryAfterSeconds = (int)options.Value.RenewalInfoRetryAfter.TotalSeconds;
    }

    public async Task<IResult> HandleAsync(HttpContext http, string certId)
    {
        // A certificate's window does not depend on the directory it is asked through; the directory must exist.
        _directories.Resolve(http);
        var suggestion = await _renewalInfo.SuggestAsync(certId, http.RequestAborted);
        return AcmeResult.Json(RenewalInfoResource.From(suggestion)).WithRetryAfter(_retryAfterSeconds);
    }
}
