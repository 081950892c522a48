using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// Removes ACME state that is no longer needed, every <see cref="AcmeTidyOptions.Interval"/>: records of used nonces once they expire,
/// orders and authorizations a day after they expired (so a late poll still reads "invalid" rather than 404),
/// certificates when they expire, unused EAB keys at their expiry, rate-limit windows that ended, and deactivated
/// accounts after <see cref="AcmeTidyOptions.DeactivatedAccountRetention"/>. Stores whose keys expire by themselves
/// (Redis) find less to do. Each kind removed is counted on <see cref="AcmeMetrics"/>.
/// </summary>
public sealed partial class AcmeJanitor : BackgroundService
{
    public static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    private readonly INonceStore _nonces;
    private readonly IOrderStore _orders;
    private readonly IAuthorizationStore _authorizations;
    private readonly IAcmeCertificateStore _certificates;
    private readonly ICertificateReplacementStore _replacements;
    private readonly IExternalAccountKeyStore _eabKeys;
    private readonly IAccountStore _accounts;
    private readonly IRateLimitStore _rateLimits;
    private readonly AcmeMetrics _metrics;
    private readonly AcmeTidyOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AcmeJanitor> _logger;

    public AcmeJanitor(
        INonceStore nonces,
        IOrderStore orders,
        IAuthorizationStore authorizations,
        IAcmeCertificateStore certificates,
        IExternalAccountKeyStore eabKeys,
        ICertificateReplacementStore replacements,
        IAccountStore accounts,
        IRateLimitStore rateLimits,
        AcmeMetrics metrics,
        IOptions<AcmeOptions> options,
        TimeProvider time,
        ILogger<AcmeJanitor> logger)
    {
        _nonces = nonces;
        _orders = orders;
        _authorizations = authorizations;
        _certificates = certificates;
        _replacements = replacements;
        _eabKeys = eabKeys;
        _accounts = accounts;
        _rateLimits = rateLimits;
        _metrics = metrics;
        _options = options.Value.Tidy;
        _time = time;
        _logger = logger;
    }

    /// <summary>One sweep; returns how many records went.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return await CountAsync("nonce", _nonces.DeleteExpiredAsync(now, cancellationToken)).ConfigureAwait(false)
            + await CountAsync("order", _orders.DeleteExpiredAsync(now - Grace, cancellationToken)).ConfigureAwait(false)
            + await CountAsync("authorization", _authorizations.DeleteExpiredAsync(now - Grace, cancellationToken)).ConfigureAwait(false)
            + await CountAsync("certificate", _certificates.DeleteExpiredAsync(now, cancellationToken)).ConfigureAwait(false)
            + await CountAsync("eab_key", _eabKeys.DeleteExpiredAsync(now, cancellationToken)).ConfigureAwait(false)
            + await CountAsync("replacement", _replacements.DeleteExpiredAsync(now, cancellationToken)).ConfigureAwait(false)
            + await CountAsync("rate_limit", _rateLimits.DeleteExpiredAsync(now, cancellationToken)).ConfigureAwait(false)
            + await CountAsync("deactivated_account", _accounts.DeleteDeactivatedAsync(now - _options.DeactivatedAccountRetention, cancellationToken)).ConfigureAwait(false);
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

                await Task.Delay(_options.Interval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogFailed(_logger, e);
                await Task.Delay(_options.Interval, _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<int> CountAsync(string kind, Task<int> removal)
    {
        var removed = await removal.ConfigureAwait(false);
        _metrics.Removed(kind, removed);
        return removed;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed {Count} expired ACME records")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing expired ACME records failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
