using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.RateLimits;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.Validation;

/// <summary>
/// Runs challenge validations off the request thread (RFC 8555 7.5.1 lets the server validate asynchronously). It
/// takes due work from the store, not from memory, so a challenge answered before a restart, or on another node, is
/// validated all the same. Each attempt leases the challenge in the store (compare-and-set) so one node runs it,
/// has a time limit, and a failed one is retried a bounded number of times.
/// </summary>
public sealed partial class ChallengeValidationWorker : BackgroundService
{
    /// <summary>How often the store is polled for due work when nothing was signalled.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly IAuthorizationStore _authorizations;
    private readonly IAccountStore _accounts;
    private readonly Dictionary<string, IChallengeValidator> _validators;
    private readonly ValidationSignal _signal;
    private readonly CaaChecker _caa;
    private readonly AcmeDirectories _directories;
    private readonly TimeProvider _time;
    private readonly AcmeOptions _options;
    private readonly ILogger<ChallengeValidationWorker> _logger;
    private readonly HashSet<string> _inFlight = [];
    private readonly SemaphoreSlim _slots;
    private readonly AcmeRateLimiter _limits;

    public ChallengeValidationWorker(
        IAuthorizationStore authorizations,
        IAccountStore accounts,
        IEnumerable<IChallengeValidator> validators,
        ValidationSignal signal,
        CaaChecker caa,
        AcmeDirectories directories,
        TimeProvider time,
        IOptions<AcmeOptions> options,
        ILogger<ChallengeValidationWorker> logger,
        AcmeRateLimiter limits)
    {
        _limits = limits;
        _authorizations = authorizations;
        _accounts = accounts;
        _validators = validators.ToDictionary(v => v.Type, StringComparer.Ordinal);
        _signal = signal;
        _caa = caa;
        _directories = directories;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.ValidationConcurrency);
    }

    /// <summary>How long an attempt holds its lease: twice its time limit and a margin for the store round trips.</summary>
    private TimeSpan Lease => _options.ValidationTimeout * 2 + _options.Testing.ValidationDelay + TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StartDueAsync(stoppingToken).ConfigureAwait(false);
                await _signal.WaitAsync(PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogPollFailed(_logger, e);
                await Task.Delay(PollInterval, _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task StartDueAsync(CancellationToken stoppingToken)
    {
        var due = await _authorizations.ListDueValidationsAsync(_time.GetUtcNow(), _options.ValidationConcurrency * 2, stoppingToken).ConfigureAwait(false);
        foreach (var id in due)
        {
            lock (_inFlight)
            {
                if (!_inFlight.Add(id))
                {
                    continue;
                }
            }

            await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
            _ = Task.Run(async () =>
            {
                try
                {
                    await ValidateAsync(id, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    // Shutting down: the lease runs out and the attempt is taken up again after the restart.
                }
                catch (Exception e)
                {
                    LogValidationFailed(_logger, e, id);
                }
                finally
                {
                    lock (_inFlight)
                    {
                        _inFlight.Remove(id);
                    }

                    _slots.Release();
                }
            }, CancellationToken.None);
        }
    }

    /// <summary>One attempt at the processing challenge of an authorization, if it is still due.</summary>
    public async Task ValidateAsync(string authorizationId, CancellationToken stoppingToken)
    {
        var authorization = await _authorizations.GetAsync(authorizationId, stoppingToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var challenge = authorization?.Challenges.FirstOrDefault(c => c.Status == ChallengeStatus.Processing);
        if (authorization is null || challenge is null || challenge.NextAttemptAt > now)
        {
            return;
        }

        if (authorization.StatusAt(now) == AuthorizationStatus.Expired)
        {
            await _authorizations.TryUpdateAsync(authorization.AbandonExpired(now), stoppingToken).ConfigureAwait(false);
            return;
        }

        var leased = await _authorizations.TryUpdateAsync(authorization.Lease(challenge.Id, now + Lease), stoppingToken).ConfigureAwait(false);
        if (leased is null)
        {
            return; // another node took it
        }

        AcmeProblem? problem;
        try
        {
            problem = await AttemptAsync(leased, challenge, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down mid-attempt: hand the challenge back at once, so the next start (or another node) runs it.
            await _authorizations.TryUpdateAsync(leased.Lease(challenge.Id, _time.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var done = _time.GetUtcNow();
        // A CAA refusal is the domain owner's decision, not a glitch to retry: the authorization fails at once.
        var final = problem?.Type == AcmeProblemTable.Urn(AcmeErrorType.Caa);
        var result = problem is null
            ? leased.RecordSuccess(challenge.Id, done, _options.ValidAuthorizationLifetime) with { CaaCheckedAt = CaaApplies(leased) ? done : null }
            : leased.RecordFailure(challenge.Id, problem, done, final ? 1 : _options.ValidationAttempts, _options.ValidationRetryDelay);
        if (await _authorizations.TryUpdateAsync(result, CancellationToken.None).ConfigureAwait(false) is null)
        {
            LogResultLost(_logger, authorizationId); // deactivated meanwhile: its state wins
        }
        else
        {
            LogAttempt(_logger, challenge.Type, leased.Identifier.Value, problem is null ? "valid" : problem.Detail);
            if (result.Challenge(challenge.Id).Status == ChallengeStatus.Invalid)
            {
                await _limits.RecordFailedValidationAsync(leased.AccountId, leased.Identifier, CancellationToken.None).ConfigureAwait(false);
            }

            if (problem is not null && result.Challenge(challenge.Id).Status == ChallengeStatus.Processing)
            {
                _signal.Notify();
            }
        }
    }

    private async Task<AcmeProblem?> AttemptAsync(AcmeAuthorization authorization, AcmeChallenge challenge, CancellationToken stoppingToken)
    {
        var account = await _accounts.GetAsync(authorization.AccountId, stoppingToken).ConfigureAwait(false);
        if (account is null || account.Status != AccountStatus.Valid)
        {
            return AcmeProblemTable.Problem(AcmeErrorType.Unauthorized, "the account of this authorization is no longer valid", authorization.Identifier);
        }

        if (_options.Testing.ValidationDelay > TimeSpan.Zero)
        {
            await Task.Delay(_options.Testing.ValidationDelay, _time, stoppingToken).ConfigureAwait(false);
        }

        if (_options.Testing.AlwaysValid)
        {
            return null; // test knob: no contact with the client at all
        }

        if (!_validators.TryGetValue(challenge.Type, out var validator))
        {
            return AcmeProblemTable.Problem(AcmeErrorType.Malformed, $"challenge type {challenge.Type} is not validated by this server", authorization.Identifier);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        limit.CancelAfter(_options.ValidationTimeout);
        try
        {
            // 8.1: the key authorization uses the account's current key.
            var keyAuthorization = Validation.KeyAuthorizations.For(challenge.Token, account.KeyThumbprint);
            if (validator is IAccountBoundChallengeValidator accountBound)
            {
                await accountBound.ValidateAsync(authorization.Identifier, challenge, keyAuthorization, authorization.AccountUrl, limit.Token).ConfigureAwait(false);
            }
            else
            {
                await validator.ValidateAsync(authorization.Identifier, challenge, keyAuthorization, limit.Token).ConfigureAwait(false);
            }

            // RFC 8659 3 / RFC 8555 10.5 (CAA before issuance): checked once control is proven, before the authorization is valid.
            if (CaaApplies(authorization))
            {
                await _caa.CheckAsync(authorization.Identifier, authorization.Wildcard, CaaIdentities(authorization), authorization.AccountUrl, challenge.Type, limit.Token).ConfigureAwait(false);
            }

            return null;
        }
        catch (ChallengeFailedException e)
        {
            return e.ToProblem(authorization.Identifier);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return AcmeProblemTable.Problem(AcmeErrorType.Connection, $"{challenge.Type} validation of {authorization.Identifier.Value} timed out after {_options.ValidationTimeout.TotalSeconds:0} s", authorization.Identifier);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogValidatorError(_logger, e, challenge.Type, authorization.Identifier.Value);
            return AcmeProblemTable.Problem(AcmeErrorType.Connection, $"{challenge.Type} validation of {authorization.Identifier.Value} failed: {e.Message}", authorization.Identifier);
        }
    }

    private IReadOnlyList<string> CaaIdentities(AcmeAuthorization authorization) =>
        _directories.Find(authorization.Directory)?.CaaIdentities ?? [];

    /// <summary>CAA is checked for DNS names of a directory that names its issuer domains (no <c>CaaIdentities</c>: not checked).</summary>
    private bool CaaApplies(AcmeAuthorization authorization) =>
        authorization.Identifier.Type == AcmeIdentifier.Dns && CaaIdentities(authorization).Count > 0;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling for due ACME validations failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Validating ACME authorization {AuthorizationId} failed")]
    private static partial void LogValidationFailed(ILogger logger, Exception exception, string authorizationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Type} validator failed unexpectedly for {Identifier}")]
    private static partial void LogValidatorError(ILogger logger, Exception exception, string type, string identifier);

    [LoggerMessage(Level = LogLevel.Information, Message = "ACME authorization {AuthorizationId} changed during validation; its result was not recorded")]
    private static partial void LogResultLost(ILogger logger, string authorizationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "ACME {Type} for {Identifier}: {Outcome}")]
    private static partial void LogAttempt(ILogger logger, string type, string identifier, string outcome);
}
