using PkiProtocolServer.Core.Revocation;

namespace PkiProtocolServer.Revocation;

/// <summary>
/// Runs the core's revocation maintenance on every node: at start, every poll interval, and a debounce delay
/// after a revocation on this node. The lease inside makes it one node at a time; the others find the work done.
/// </summary>
public sealed partial class RevocationBackgroundService : BackgroundService
{
    private readonly RevocationMaintenance _maintenance;
    private readonly RevocationSignal _signal;
    private readonly RevocationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RevocationBackgroundService> _logger;

    public RevocationBackgroundService(RevocationMaintenance maintenance, RevocationSignal signal, RevocationOptions options, TimeProvider time, ILogger<RevocationBackgroundService> logger)
    {
        _maintenance = maintenance;
        _signal = signal;
        _options = options;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // never hold up the host's start
        while (!stoppingToken.IsCancellationRequested)
        {
            await RunOnceAsync(stoppingToken);
            try
            {
                if (await _signal.WaitAsync(_options.PollInterval, _time, stoppingToken))
                {
                    await Task.Delay(_options.Crl.RevocationDebounce, _time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            var report = await _maintenance.RunOnceAsync(stoppingToken);
            if (report is null)
            {
                return;
            }

            foreach (var failure in report.Crls.Failures)
            {
                LogCrlFailure(_logger, failure.Error, failure.IssuerId);
            }

            foreach (var crl in report.Crls.Published)
            {
                LogCrlPublished(_logger, crl.IssuerId, crl.Shard?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all", crl.IsDelta ? "delta" : "complete", crl.Number, crl.EntryCount);
            }

            foreach (var responder in report.RotatedResponders)
            {
                LogResponderIssued(_logger, responder.IssuerId, responder.Id, responder.NotAfter);
            }

            if (report.Tidy is { } tidy)
            {
                LogTidy(_logger, tidy.CertificatesRemoved, tidy.RevocationsRemoved, tidy.OcspResponsesRemoved, tidy.OcspRespondersRemoved);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The next pass retries; a store or HSM outage must not stop the worker for good.
            LogPassFailed(_logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "CRLs of issuer {IssuerId} could not be built")]
    private static partial void LogCrlFailure(ILogger logger, Exception exception, string issuerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published the {Kind} CRL of issuer {IssuerId} (scope {Scope}): number {Number}, {Entries} entries")]
    private static partial void LogCrlPublished(ILogger logger, string issuerId, string scope, string kind, long number, long entries);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued a delegated OCSP responder for issuer {IssuerId}: {ResponderId}, valid until {NotAfter:O}")]
    private static partial void LogResponderIssued(ILogger logger, string issuerId, string responderId, DateTimeOffset notAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tidy removed {Certificates} certificates, {Revocations} revocations, {Responses} OCSP responses, {Responders} responders")]
    private static partial void LogTidy(ILogger logger, long certificates, long revocations, long responses, long responders);

    [LoggerMessage(Level = LogLevel.Error, Message = "A revocation maintenance pass failed; retrying at the next poll")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
