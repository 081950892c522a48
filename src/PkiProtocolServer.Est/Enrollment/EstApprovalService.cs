using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Est.Enrollment;

/// <summary>
/// The operator's side of manual approval (admin API, agent persona): list held enrollments, approve or reject one.
/// Approval issues nothing by itself; the device's next poll does, so a serverkeygen key is generated only when it can
/// be handed over at once and is never stored.
/// </summary>
public sealed class EstApprovalService
{
    private readonly IPendingEnrollmentStore _store;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;

    public EstApprovalService(IPendingEnrollmentStore store, IAuditLog audit, TimeProvider time)
    {
        _store = store;
        _audit = audit;
        _time = time;
    }

    public Task<IReadOnlyList<PendingEnrollment>> ListAsync(PendingEnrollmentState? state, int limit, CancellationToken cancellationToken) =>
        limit is < 1 or > 1000
            ? throw PkiException.Malformed($"limit must be between 1 and 1000 (was {limit})")
            : _store.ListAsync(state, limit, cancellationToken);

    public async Task<PendingEnrollment> GetAsync(string id, CancellationToken cancellationToken) =>
        await _store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw PkiException.NotFound($"no EST enrollment '{id}'");

    public Task<PendingEnrollment> ApproveAsync(string id, string actor, CancellationToken cancellationToken) =>
        DecideAsync(id, PendingEnrollmentState.Approved, null, actor, "est.enrollment.approve", cancellationToken);

    public Task<PendingEnrollment> RejectAsync(string id, string? reason, string actor, CancellationToken cancellationToken)
    {
        if (reason is { Length: > 500 })
        {
            throw PkiException.Malformed("reason must be at most 500 characters");
        }

        return DecideAsync(id, PendingEnrollmentState.Rejected, reason, actor, "est.enrollment.reject", cancellationToken);
    }

    private Task<PendingEnrollment> DecideAsync(string id, PendingEnrollmentState decision, string? reason, string actor, string operation, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, operation, async () =>
        {
            var enrollment = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (!await _store.DecideAsync(id, decision, actor, reason, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                throw PkiException.Conflict($"EST enrollment {id} is {enrollment.State.ToString().ToLowerInvariant()}, not pending: it was decided already");
            }

            return await GetAsync(id, cancellationToken).ConfigureAwait(false);
        }, (e, line) => line with { Detail = $"enrollment {e.Id} on label {(e.Label.Length == 0 ? "default" : e.Label)}: {e.CommonName}" }, null, cancellationToken);
}
