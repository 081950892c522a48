using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.RateLimits;

/// <summary>
/// Applies <see cref="AcmeRateLimitOptions"/>: one store round trip per limited request (none for a limit that is
/// off), and a refusal as <c>rateLimited</c> (RFC 8555 6.7, 429) with <c>Retry-After</c> and a detail naming the
/// limit and when its window ends.
/// </summary>
public sealed class AcmeRateLimiter
{
    private readonly IRateLimitStore _store;
    private readonly AcmeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly AcmeRateLimitOptions _options;

    public AcmeRateLimiter(IRateLimitStore store, AcmeMetrics metrics, TimeProvider time, IOptions<AcmeOptions> options)
    {
        _store = store;
        _metrics = metrics;
        _time = time;
        _options = options.Value.RateLimits;
    }

    /// <summary>One newNonce request from <paramref name="client"/>.</summary>
    public Task TakeNonceAsync(IPAddress? client, CancellationToken cancellationToken) =>
        TakeAsync(nameof(AcmeRateLimitOptions.NoncesPerIp), _options.NoncesPerIp, "nonce:ip:" + ClientNetwork.KeyOf(client),
            o => o.Account is null && o.IdentifierSuffix is null && o.Network is not null && ClientNetwork.Contains(o.Network, client),
            $"newNonce requests from {ClientNetwork.KeyOf(client)}", cancellationToken);

    /// <summary>One new account created from <paramref name="client"/>.</summary>
    public Task TakeNewAccountAsync(IPAddress? client, CancellationToken cancellationToken) =>
        TakeAsync(nameof(AcmeRateLimitOptions.NewAccountsPerIp), _options.NewAccountsPerIp, "account:ip:" + ClientNetwork.KeyOf(client),
            o => o.Account is null && o.IdentifierSuffix is null && o.Network is not null && ClientNetwork.Contains(o.Network, client),
            $"new accounts from {ClientNetwork.KeyOf(client)}", cancellationToken);

    /// <summary>One new order of <paramref name="accountId"/>.</summary>
    public Task TakeNewOrderAsync(string accountId, CancellationToken cancellationToken) =>
        TakeAsync(nameof(AcmeRateLimitOptions.NewOrdersPerAccount), _options.NewOrdersPerAccount, "order:account:" + accountId,
            o => o.Network is null && o.IdentifierSuffix is null && o.Account == accountId,
            $"new orders of account {accountId}", cancellationToken);

    /// <summary>Refuses work on identifiers for which the account has used up its failed validations (one store round trip for all).</summary>
    public async Task CheckFailedValidationsAsync(string accountId, IEnumerable<AcmeIdentifier> identifiers, CancellationToken cancellationToken)
    {
        var limited = identifiers.Select(i => i.WithoutWildcard()).Distinct()
            .Select(i => (Identifier: i, Limit: Resolve(_options.FailedValidationsPerIdentifier, o => MatchesFailure(o, accountId, i)).Limit))
            .Where(w => w.Limit > 0)
            .ToList();
        if (limited.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var decisions = await _store.PeekAsync(limited.Select(w => new RateLimitWindow(FailureKey(accountId, w.Identifier), w.Limit)).ToList(), now, cancellationToken).ConfigureAwait(false);
        var refused = decisions.Select((d, i) => (Decision: d, Window: limited[i])).FirstOrDefault(d => !d.Decision.Allowed);
        if (refused.Window.Identifier is not null)
        {
            throw Refuse(nameof(AcmeRateLimitOptions.FailedValidationsPerIdentifier), refused.Window.Limit, _options.FailedValidationsPerIdentifier.Period,
                $"failed validations of {refused.Window.Identifier.Value} by account {accountId}", refused.Decision.WindowEnds, now);
        }
    }

    /// <summary>Counts a challenge of <paramref name="identifier"/> that became invalid.</summary>
    public async Task RecordFailedValidationAsync(string accountId, AcmeIdentifier identifier, CancellationToken cancellationToken)
    {
        var subject = identifier.WithoutWildcard();
        var (limit, period) = Resolve(_options.FailedValidationsPerIdentifier, o => MatchesFailure(o, accountId, subject));
        if (limit > 0)
        {
            await _store.TryTakeAsync(FailureKey(accountId, subject), limit, period, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TakeAsync(string name, RateLimitRule rule, string key, Func<RateLimitOverride, bool> matches, string what, CancellationToken cancellationToken)
    {
        var (limit, period) = Resolve(rule, matches);
        if (limit == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var decision = await _store.TryTakeAsync(key, limit, period, now, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            throw Refuse(name, limit, period, what, decision.WindowEnds, now);
        }
    }

    private static (int Limit, TimeSpan Period) Resolve(RateLimitRule rule, Func<RateLimitOverride, bool> matches)
    {
        var match = rule.Overrides.FirstOrDefault(matches);
        return match is null ? (rule.Limit, rule.Period) : (match.Limit, match.Period ?? rule.Period);
    }

    private static bool MatchesFailure(RateLimitOverride o, string accountId, AcmeIdentifier identifier) =>
        o.Network is null
        && (o.Account is null || o.Account == accountId)
        && (o.IdentifierSuffix is null || IsUnder(identifier.Value, o.IdentifierSuffix))
        && (o.Account is not null || o.IdentifierSuffix is not null);

    private static bool IsUnder(string name, string suffix)
    {
        var bare = suffix.TrimStart('*').TrimStart('.').ToLowerInvariant();
        return name == bare || name.EndsWith("." + bare, StringComparison.Ordinal);
    }

    private static string FailureKey(string accountId, AcmeIdentifier identifier) => $"failed:{accountId}:{identifier.Type}:{identifier.Value}";

    private AcmeException Refuse(string name, int limit, TimeSpan period, string what, DateTimeOffset windowEnds, DateTimeOffset now)
    {
        _metrics.RateLimited(name);
        var seconds = Math.Max(1, (int)Math.Ceiling((windowEnds - now).TotalSeconds));
        return new AcmeException(AcmeErrorType.RateLimited,
            $"too many {what}: the limit {name} allows {limit} per {Readable(period)}; it resets at {windowEnds.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} (in {seconds} s)")
        {
            RetryAfterSeconds = seconds,
        };
    }

    private static string Readable(TimeSpan period) =>
        period.TotalHours >= 1 && period.TotalHours == Math.Floor(period.TotalHours) ? $"{period.TotalHours:0} h"
        : period.TotalMinutes >= 1 && period.TotalMinutes == Math.Floor(period.TotalMinutes) ? $"{period.TotalMinutes:0} min"
        : $"{period.TotalSeconds:0.###} s";
}
