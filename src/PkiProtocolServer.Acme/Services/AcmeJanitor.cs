using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// Removes expired ACME state from stores that do not expire records by themselves (SQLite; Redis keys carry their
/// own TTL and answer with nothing to remove): nonces at once, orders and authorizations a day after they expired
/// (so a late poll still reads "invalid" rather than 404), certificates when they expire, unused EAB keys at their expiry.
/// </summary>
public sealed partial class AcmeJanitor : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    private readonly INonceStore _nonces;
    private readonly IOrderStore _orders;
    private readonly IAuthorizationStore _authorizations;
    private readonly IAcmeCertificateStore _certificates;
    private readonly ICertificateReplacementStore _replacements;
    private readonly IExternalAccountKeyStore _eabKeys;
    private readonly TimeProvider _time;
    private readonly ILogger<AcmeJanitor> _logger;

    public AcmeJanitor(INonceStore nonces, IOrderStore orders, IAuthorizationStore authorizations, IAcmeCertificateStore certificates, IExternalAccountKeyStore eabKeys, ICertificateReplacementStore replacements, TimeProvider time, ILogger<AcmeJanitor> logger)
    {
        _nonces = nonces;
        _orders = orders;
        _authorizations = authorizations;
        _certificates = certificates;
        _replacements = replacements;
        _eabKeys = eabKeys;
        _time = time;
        _logger = logger;
    }

    /// <summary>One sweep; returns how many records went.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return await _nonces.DeleteExpiredAsync(now, cancellationToken).ConfigureAwait(false)
            + await _orders.DeleteExpiredAsync(now - Grace, cancellationToken).ConfigureAwait(false)
            + await _authorizations.DeleteExpiredAsync(now - Grace, cancellationToken).ConfigureAwait(false)
            + await _certificates.DeleteExpiredAsync(now, cancellationToken).ConfigureAwait(false)
            + await _eabKeys.DeleteExpiredAsync(now, cancellationToken).ConfigureAwait(false)
            + await _replacements.DeleteExpiredAsync(now, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var removed = await SweepAsync(stoppingToken).ConfigureAwait(false);
                if (removed > 0)
                {
                    LogSwept(_logger, removed);
                }

                await Task.Delay(Interval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogFailed(_logger, e);
                await Task.Delay(Interval, _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed {Count} expired ACME records")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing expired ACME records failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
