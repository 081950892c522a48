using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.RateLimits;
using PkiProtocolServer.Acme.Resources;
using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Acme.Validation;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>
/// A challenge (RFC 8555 7.5.1): POST-as-GET reads it; any JSON object (conventionally <c>{}</c>) says the client is
/// ready, which makes it processing and hands it to the background validator. The answer links <c>up</c> to the
/// authorization and, while processing, says when to look again.
/// </summary>
public sealed class ChallengeEndpoint
{
    private readonly AcmeObjects _objects;
    private readonly IAuthorizationStore _authorizations;
    private readonly ValidationSignal _signal;
    private readonly TimeProvider _time;
    private readonly int _retryAfter;
    private readonly AcmeRateLimiter _limits;

    public ChallengeEndpoint(AcmeObjects objects, IAuthorizationStore authorizations, ValidationSignal signal, TimeProvider time, IOptions<AcmeOptions> options, AcmeRateLimiter limits)
    {
        _limits = limits;
        _objects = objects;
        _authorizations = authorizations;
        _signal = signal;
        _time = time;
        _retryAfter = options.Value.RetryAfterSeconds;
    }

    public async Task<IResult> HandleAsync(HttpContext http, string authzId, string id)
    {
        var request = http.AcmeRequest();
        var account = request.RequireAccount();
        var authorization = await _objects.AuthorizationAsync(authzId, account, http.RequestAborted);
        authorization.Challenge(id); // 404 for an unknown challenge
        if (!request.IsPostAsGet)
        {
            request.Payload(); // must be a JSON object; its members carry nothing for these challenge types
            if (authorization.Challenge(id).Status == ChallengeStatus.Pending)
            {
                await _limits.CheckFailedValidationsAsync(account.Id, [authorization.Identifier], http.RequestAborted);
            }

            for (var attempt = 0; ; attempt++)
            {
                var started = authorization.BeginValidation(id, _time.GetUtcNow());
                if (ReferenceEquals(started, authorization))
                {
                    break;
                }

                // The kid as the client knows it: dns-account-01's label and CAA accounturi (RFC 8657) are computed from it.
                started = started with { AccountUrl = request.Urls.Account(account.Id) };

                var stored = await _authorizations.TryUpdateAsync(started, http.RequestAborted);
                if (stored is not null)
                {
                    authorization = stored;
                    _signal.Notify();
                    break;
                }

                authorization = await _objects.AuthorizationAsync(authzId, account, http.RequestAborted);
                if (attempt >= 3)
                {
                    throw AcmeException.Malformed("the authorization is changing under this request; retry");
                }
            }
        }

        var challenge = authorization.Challenge(id);
        return AcmeResult.Json(ChallengeResource.From(authorization, challenge, request.Urls))
            .WithLink(request.Urls.Authorization(authorization.Id), "up")
            .WithRetryAfter(challenge.Status == ChallengeStatus.Processing ? _retryAfter : null);
    }
}
