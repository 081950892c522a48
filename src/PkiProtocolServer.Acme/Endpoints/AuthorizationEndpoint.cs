using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Resources;
using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>
/// An authorization (RFC 8555 7.5): POST-as-GET reads it (a pending one with Retry-After), a payload
/// <c>{"status": "deactivated"}</c> deactivates it (7.5.2). Only its account may touch it.
/// </summary>
public sealed class AuthorizationEndpoint
{
    private readonly AcmeObjects _objects;
    private readonly IAuthorizationStore _authorizations;
    private readonly TimeProvider _time;
    private readonly int _retryAfter;

    public AuthorizationEndpoint(AcmeObjects objects, IAuthorizationStore authorizations, TimeProvider time, IOptions<AcmeOptions> options)
    {
        _objects = objects;
        _authorizations = authorizations;
        _time = time;
        _retryAfter = options.Value.RetryAfterSeconds;
    }

    public async Task<IResult> HandleAsync(HttpContext http, string id)
    {
        var request = http.AcmeRequest();
        var account = request.RequireAccount();
        var authorization = await _objects.AuthorizationAsync(id, account, http.RequestAborted);
        if (!request.IsPostAsGet)
        {
            var payload = request.Payload();
            if (!payload.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String || status.GetString() != "deactivated")
            {
                throw AcmeException.Malformed("an authorization can only be updated with {\"status\": \"deactivated\"} (RFC 8555 7.5.2)");
            }

            authorization = await _authorizations.TryUpdateAsync(authorization.Deactivate(_time.GetUtcNow()), http.RequestAborted)
                ?? throw AcmeException.Malformed("the authorization changed while it was being deactivated; retry");
        }

        var now = _time.GetUtcNow();
        return AcmeResult.Json(AuthorizationResource.From(authorization, now, request.Urls))
            .WithRetryAfter(authorization.StatusAt(now) == AuthorizationStatus.Pending ? _retryAfter : null);
    }
}
