namespace PkiProtocolServer.Est.Enrollment;

/// <summary>
/// Durable store of enrollments held for manual approval, owned by the EST front end. Every provider passes
/// <c>PendingEnrollmentStoreContract</c>. State changes are compare-and-set, so two operators (or two polls on two
/// nodes) never both win a transition.
/// </summary>
public interface IPendingEnrollmentStore
{
    /// <summary>
    /// Records a new pending enrollment unless one is already open (pending, approved or rejected) for the same label,
    /// operation and request hash; returns the open one in that case, else the one added.
    /// </summary>
    Task<PendingEnrollment> AddOrGetOpenAsync(PendingEnrollment enrollment, CancellationToken cancellationToken);

    /// <summary>The open (pending, approved or rejected) enrollment of a label, operation and request hash, if any.</summary>
    Task<PendingEnrollment?> FindOpenAsync(string label, EstOperation operation, string requestHash, CancellationToken cancellationToken);

    Task<PendingEnrollment?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>A page ordered by creation time then id, optionally in one state only.</summary>
    Task<IReadOnlyList<PendingEnrollment>> ListAsync(PendingEnrollmentState? state, int limit, CancellationToken cancellationToken);

    /// <summary>Pending → approved or rejected; false when it was not pending (already decided, or unknown).</summary>
    Task<bool> DecideAsync(string id, PendingEnrollmentState decision, string decidedBy, string? reason, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Approved → completed without a serial yet, atomically: the one poll that wins issues the certificate, then records
    /// the serial with <see cref="RecordSerialAsync"/>. False when it was not approved (another poll won).
    /// </summary>
    Task<bool> ClaimAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records the serial of the certificate issued for a claimed enrollment.</summary>
    Task RecordSerialAsync(string id, string serial, CancellationToken cancellationToken);

    /// <summary>A claimed enrollment whose issuance failed: completed → failed with the reason.</summary>
    Task MarkFailedAsync(string id, string reason, CancellationToken cancellationToken);
}
