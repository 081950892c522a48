using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Resources;
using PkiProtocolServer.Acme.Services;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>newAuthz (RFC 8555 7.4.1): one identifier pre-authorized for the account, 201 with the authorization's URL.</summary>
public sealed class NewAuthzEndpoint
{
    private readonly PreAuthorizationService _preAuthorizations;
    private readonly TimeProvider _time;
    private readonly int _retryAfter;

    public NewAuthzEndpoint(PreAuthorizationService preAuthorizations, TimeProvider time, IOptions<AcmeOptions> options)
    {
        _preAuthorizations = preAuthorizations;
        _time = time;
        _retryAfter = options.Value.RetryAfterSeconds;
    }

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var request = http.AcmeRequest();
        var identifier = PreAuthorizationService.ReadIdentifier(request.Payload());
        var authorization = await _preAuthorizations.CreateAsync(request.RequireAccount(), request.Directory, identifier, http.RequestAborted);
        var now = _time.GetUtcNow();
        return AcmeResult.Json(AuthorizationResource.From(authorization, now, request.Urls), StatusCodes.Status201Created)
            .WithLocation(request.Urls.Authorization(authorization.Id))
            .WithRetryAfter(authorization.StatusAt(now) == AuthorizationStatus.Pending ? _retryAfter : null);
    }
}
