using PkiProtocolServer.Core.Coordination;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Revocation.Ocsp;
using PkiProtocolServer.Core.Revocation.Tidy;

namespace PkiProtocolServer.Core.Revocation;

/// <summary>
/// The background work of revocation, done by one node at a time under a lease in the shared store:
/// drop cached OCSP answers about newly revoked serials, publish the CRLs that are due, rotate delegated
/// OCSP responders, sign again the OCSP responses about to go stale, and tidy when it is due. The host
/// calls <see cref="RunOnceAsync"/> on a timer and soon after each revocation.
/// </summary>
public sealed class RevocationMaintenance
{
    public const string LeaseName = "revocation-maintenance";
    public const string Actor = "system:maintenance";
    private const string ReconciledName = "ocsp-reconciled-sequence";

    private readonly ICoordinationStore _coordination;
    private readonly IRevocationStore _revocations;
    private readonly IOcspResponseCache _ocspCache;
    private readonly IssuerCatalog _catalog;
    private readonly CrlPublisher _crls;
    private readonly OcspResponders _responders;
    private readonly OcspResponder _ocsp;
    private readonly TidyService _tidy;
    private readonly RevocationOptions _options;
    private readonly TimeProvider _time;

    public RevocationMaintenance(ICoordinationStore coordination, IRevocationStore revocations, IOcspResponseCache ocspCache, IssuerCatalog catalog, CrlPublisher crls, OcspResponders responders, OcspResponder ocsp, TidyService tidy, RevocationOptions options, TimeProvider time, string? nodeId = null)
    {
        _coordination = coordination;
        _revocations = revocations;
        _ocspCache = ocspCache;
        _catalog = catalog;
        _crls = crls;
        _responders = responders;
        _ocsp = ocsp;
        _tidy = tidy;
        _options = options;
        _time = time;
        NodeId = nodeId ?? $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    }

    /// <summary>This node's name in leases and reports.</summary>
    public string NodeId { get; }

    /// <summary>One pass. Returns null when another node holds the lease (it is doing the work).</summary>
    public async Task<MaintenanceReport?> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!await _coordination.TryAcquireLeaseAsync(LeaseName, NodeId, _time.GetUtcNow(), _options.LeaseDuration, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            var reconciled = await ReconcileOcspCacheAsync(cancellationToken).ConfigureAwait(false);
            var crls = await _crls.PublishDueAsync(force: false, cancellationToken).ConfigureAwait(false);
            await RenewAsync(cancellationToken).ConfigureAwait(false);

            var snapshot = await _catalog.GetAsync(cancellationToken).ConfigureAwait(false);
            var rotated = await _responders.RotateDueAsync(snapshot, cancellationToken).ConfigureAwait(false);
            var refreshed = await _ocsp.RefreshDueAsync(cancellationToken).ConfigureAwait(false);
            await RenewAsync(cancellationToken).ConfigureAwait(false);

            TidyReport? tidy = null;
            if (_options.Tidy.Enabled && await TidyDueAsync(cancellationToken).ConfigureAwait(false))
            {
                tidy = await _tidy.RunAsync(Actor, NodeId, null, cancellationToken).ConfigureAwait(false);
            }

            return new MaintenanceReport(crls, rotated, refreshed, reconciled, tidy);
        }
        finally
        {
            await _coordination.ReleaseLeaseAsync(LeaseName, NodeId, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private Task RenewAsync(CancellationToken cancellationToken) =>
        _coordination.TryAcquireLeaseAsync(LeaseName, NodeId, _time.GetUtcNow(), _options.LeaseDuration, cancellationToken);

    /// <summary>
    /// Belt and braces for the revocation path, which drops cached answers right after it commits: if that node died in
    /// between, the answers are dropped here. Walks revocations by sequence from where the last pass stopped.
    /// </summary>
    private async Task<int> ReconcileOcspCacheAsync(CancellationToken cancellationToken)
    {
        var status = await _coordination.GetStatusAsync(ReconciledName, cancellationToken).ConfigureAwait(false);
        var after = status is null ? 0 : long.Parse(status.Json, System.Globalization.CultureInfo.InvariantCulture);
        var count = 0;
        for (var pass = 0; pass < 10; pass++)
        {
            var entries = await _revocations.ListAfterAsync(after, 1000, cancellationToken).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                await _ocspCache.RemoveSerialAsync(entry.Serial, cancellationToken).ConfigureAwait(false);
                after = entry.Sequence;
                count++;
            }

            if (entries.Count < 1000)
            {
                break;
            }
        }

        if (count > 0)
        {
            await _coordination.SetStatusAsync(new StatusDocument(ReconciledName, after.ToString(System.Globalization.CultureInfo.InvariantCulture), _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    private async Task<bool> TidyDueAsync(CancellationToken cancellationToken)
    {
        var last = await _coordination.GetStatusAsync(TidyService.StatusName, cancellationToken).ConfigureAwait(false);
        return last is null || _time.GetUtcNow() - last.UpdatedAt >= _options.Tidy.Interval;
    }
}

/// <summary>What one maintenance pass did.</summary>
public sealed record MaintenanceReport(
    CrlPublishReport Crls,
    IReadOnlyList<OcspResponderRecord> RotatedResponders,
    int RefreshedOcspResponses,
    int ReconciledRevocations,
    TidyReport? Tidy);
