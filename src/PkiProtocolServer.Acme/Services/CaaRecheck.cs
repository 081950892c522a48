using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Acme.Validation;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// CAA again at finalize: a reused or long-lived authorization may have been checked hours ago, and the domain owner
/// may have changed CAA since. Identifiers whose last check is older than <see cref="AcmeOptions.CaaRecheckAfter"/>
/// are looked up again; a refusal stops the finalize with a <c>caa</c> problem holding one subproblem per identifier.
/// </summary>
public sealed class CaaRecheck
{
    private readonly IAuthorizationStore _authorizations;
    private readonly CaaChecker _caa;
    private readonly TimeProvider _time;
    private readonly AcmeOptions _options;

    public CaaRecheck(IAuthorizationStore authorizations, CaaChecker caa, TimeProvider time, IOptions<AcmeOptions> options)
    {
        _authorizations = authorizations;
        _caa = caa;
        _time = time;
        _options = options.Value;
    }

    /// <summary>Returns when CAA still allows every identifier of the order; throws a <c>caa</c> <see cref="AcmeException"/> otherwise.</summary>
    public async Task CheckAsync(AcmeOrder order, AcmeDirectory directory, CancellationToken cancellationToken)
    {
        if (directory.CaaIdentities.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var stale = (await _authorizations.GetManyAsync(order.AuthorizationIds, cancellationToken).ConfigureAwait(false))
            .Where(a => a.Identifier.Type == AcmeIdentifier.Dns && (a.CaaCheckedAt is null || now - a.CaaCheckedAt.Value > _options.CaaRecheckAfter))
            .ToList();
        var refusals = new List<AcmeProblem>();
        foreach (var authorization in stale)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(_options.ValidationTimeout);
            try
            {
                await _caa.CheckAsync(authorization.Identifier, authorization.Wildcard, directory.CaaIdentities, authorization.AccountUrl, authorization.ValidatedBy, limit.Token).ConfigureAwait(false);
            }
            catch (ChallengeFailedException e)
            {
                refusals.Add(e.ToProblem(authorization.Identifier));
                continue;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                refusals.Add(AcmeProblemTable.Problem(AcmeErrorType.Caa, $"the CAA lookup for {authorization.Identifier.Value} timed out, so issuance is refused", authorization.Identifier));
                continue;
            }

            // Recorded so the next finalize within the recheck age does not look again; a lost race changes nothing.
            await _authorizations.TryUpdateAsync(authorization with { CaaCheckedAt = _time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        }

        if (refusals.Count > 0)
        {
            throw new AcmeException(
                AcmeErrorType.Caa,
                refusals.Count == 1 ? refusals[0].Detail : $"CAA forbids issuance for {refusals.Count} identifiers: " + string.Join("; ", refusals.Select(r => r.Detail)),
                subproblems: refusals);
        }
    }
}
