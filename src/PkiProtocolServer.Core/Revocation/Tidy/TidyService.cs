using System.Text.Json;
using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Coordination;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Revocation.Ocsp;

namespace PkiProtocolServer.Core.Revocation.Tidy;

/// <summary>
/// Removes what has expired past a safety buffer: certificate records, revocations (their certificates can no
/// longer be trusted anyway), pre-signed OCSP responses past nextUpdate, and old delegated responders with their
/// keys. Every removal is an idempotent batch delete, so two nodes tidying at once only share the work.
/// </summary>
public sealed class TidyService
{
    public const string StatusName = "tidy";
    private const int Batch = 1000;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly ICertificateStore _certificates;
    private readonly IRevocationStore _revocations;
    private readonly IOcspResponseCache _ocspCache;
    private readonly IOcspResponderStore _responders;
    private readonly ICoordinationStore _coordination;
    private readonly KeyCustodyRegistry _keys;
    private readonly IAuditLog _audit;
    private readonly RevocationOptions _options;
    private readonly TimeProvider _time;

    public TidyService(ICertificateStore certificates, IRevocationStore revocations, IOcspResponseCache ocspCache, IOcspResponderStore responders, ICoordinationStore coordination, KeyCustodyRegistry keys, IAuditLog audit, RevocationOptions options, TimeProvider time)
    {
        _certificates = certificates;
        _revocations = revocations;
        _ocspCache = ocspCache;
        _responders = responders;
        _coordination = coordination;
        _keys = keys;
        _audit = audit;
        _options = options;
        _time = time;
    }

    /// <summary>Runs tidy now and records its report for <see cref="LastReportAsync"/>; <paramref name="safetyBuffer"/> overrides the configured one.</summary>
    public Task<TidyReport> RunAsync(string actor, string node, TimeSpan? safetyBuffer, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "tidy", async () =>
        {
            var started = _time.GetUtcNow();
            var buffer = safetyBuffer ?? _options.Tidy.SafetyBuffer;
            if (buffer < TimeSpan.Zero || buffer > Durations.Maximum)
            {
                throw Errors.PkiException.Malformed("safety_buffer must be between 0 and 100 years");
            }

            var cutoff = started - buffer;
            var certificates = await DrainAsync(() => _certificates.DeleteExpiredAsync(cutoff, Batch, cancellationToken)).ConfigureAwait(false);
            var revocations = await DrainAsync(() => _revocations.DeleteExpiredAsync(cutoff, Batch, cancellationToken)).ConfigureAwait(false);
            var responses = await DrainAsync(() => _ocspCache.RemoveExpiredAsync(started, Batch, cancellationToken)).ConfigureAwait(false);
            var responders = await _responders.DeleteExpiredAsync(cutoff, cancellationToken).ConfigureAwait(false);
            foreach (var responder in responders)
            {
                await _keys.DeleteAsync(responder.KeyReference, cancellationToken).ConfigureAwait(false);
            }

            var report = new TidyReport
            {
                StartedAt = started,
                FinishedAt = _time.GetUtcNow(),
                Node = node,
                Actor = actor,
                SafetyBuffer = buffer,
                Cutoff = cutoff,
                CertificatesRemoved = certificates,
                RevocationsRemoved = revocations,
                OcspResponsesRemoved = responses,
                OcspRespondersRemoved = responders.Count,
            };
            await _coordination.SetStatusAsync(new StatusDocument(StatusName, JsonSerializer.Serialize(report, Json), report.FinishedAt), cancellationToken).ConfigureAwait(false);
            return report;
        }, (report, e) => e with { Detail = $"certificates={report.CertificatesRemoved} revocations={report.RevocationsRemoved} ocsp_responses={report.OcspResponsesRemoved} responders={report.OcspRespondersRemoved} cutoff={report.Cutoff:O} node={report.Node}" }, null, cancellationToken);

    /// <summary>The report of the last run on any node, or null when tidy never ran.</summary>
    public async Task<TidyReport?> LastReportAsync(CancellationToken cancellationToken)
    {
        var status = await _coordination.GetStatusAsync(StatusName, cancellationToken).ConfigureAwait(false);
        return status is null ? null : JsonSerializer.Deserialize<TidyReport>(status.Json, Json);
    }

    private static async Task<long> DrainAsync(Func<Task<int>> batch)
    {
        long total = 0;
        int removed;
        do
        {
            removed = await batch().ConfigureAwait(false);
            total += removed;
        }
        while (removed == Batch);
        return total;
    }
}
