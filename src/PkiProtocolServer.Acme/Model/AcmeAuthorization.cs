using System.Text.Json.Serialization;
using PkiProtocolServer.Acme.Errors;

namespace PkiProtocolServer.Acme.Model;

/// <summary>
/// An authorization (RFC 8555 7.1.4) with its challenges: the aggregate that owns the authorization and
/// challenge status machines of 7.1.6. Endpoints and the validator ask it for transitions; none computes a status.
/// </summary>
public sealed record AcmeAuthorization
{
    public required string Id { get; init; }

    public required string AccountId { get; init; }

    public required string Directory { get; init; }

    /// <summary>The identifier without a wildcard prefix (7.1.4).</summary>
    public required AcmeIdentifier Identifier { get; init; }

    public bool Wildcard { get; init; }

    /// <summary>The stored status; read <see cref="StatusAt"/> for the status at a moment (expiry applied).</summary>
    public AuthorizationStatus Status { get; init; } = AuthorizationStatus.Pending;

    public required DateTimeOffset Expires { get; init; }

    public required IReadOnlyList<AcmeChallenge> Challenges { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public long Version { get; init; }

    /// <summary>
    /// The account URL (the <c>kid</c>) of the request that answered a challenge: what dns-account-01 derives its
    /// label from and what a CAA <c>accounturi</c> parameter (RFC 8657 3) is compared with.
    /// </summary>
    public string? AccountUrl { get; init; }

    /// <summary>When CAA (RFC 8659) last allowed issuance for this identifier; null when it was never checked.</summary>
    public DateTimeOffset? CaaCheckedAt { get; init; }

    /// <summary>The type of the challenge that made this authorization valid, if any (what CAA <c>validationmethods</c> is compared with).</summary>
    [JsonIgnore]
    public string? ValidatedBy => Challenges.FirstOrDefault(c => c.Status == ChallengeStatus.Valid)?.Type;

    /// <summary>
    /// When a validation attempt of this authorization is due (a challenge is processing), else null: the index the
    /// background validator scans, kept by the store next to the document.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? ValidationDueAt =>
        Challenges.FirstOrDefault(c => c.Status == ChallengeStatus.Processing)?.NextAttemptAt;

    /// <summary>7.1.6: pending or valid authorizations become expired once <see cref="Expires"/> has passed.</summary>
    public AuthorizationStatus StatusAt(DateTimeOffset now) =>
        Status is AuthorizationStatus.Pending or AuthorizationStatus.Valid && now >= Expires ? AuthorizationStatus.Expired : Status;

    public AcmeChallenge Challenge(string challengeId) =>
        Challenges.FirstOrDefault(c => c.Id == challengeId) ?? throw AcmeException.NotFound("the challenge does not exist");

    /// <summary>
    /// The client says a challenge is ready (RFC 8555 7.5.1): pending → processing, due now. Answering a challenge
    /// that is already processing, valid or invalid changes nothing, so a retried POST is harmless.
    /// </summary>
    public AcmeAuthorization BeginValidation(string challengeId, DateTimeOffset now)
    {
        var challenge = Challenge(challengeId);
        if (challenge.Status != ChallengeStatus.Pending)
        {
            return this;
        }

        var status = StatusAt(now);
        if (status != AuthorizationStatus.Pending)
        {
            throw AcmeException.Malformed($"the authorization is {StatusNames.Wire(status)}; only challenges of a pending authorization can be answered");
        }

        if (Challenges.Any(c => c.Status == ChallengeStatus.Processing))
        {
            throw AcmeException.Malformed("another challenge of this authorization is being validated; wait for its result");
        }

        return Replace(challenge with { Status = ChallengeStatus.Processing, NextAttemptAt = now });
    }

    /// <summary>The validator takes an attempt: the lease keeps other nodes off it until it ends.</summary>
    public AcmeAuthorization Lease(string challengeId, DateTimeOffset leaseUntil)
    {
        var challenge = Challenge(challengeId);
        return challenge.Status != ChallengeStatus.Processing ? this : Replace(challenge with { NextAttemptAt = leaseUntil });
    }

    /// <summary>7.1.6: a valid challenge makes the authorization valid, for <paramref name="validFor"/> from now (never shortening it).</summary>
    public AcmeAuthorization RecordSuccess(string challengeId, DateTimeOffset now, TimeSpan validFor)
    {
        var challenge = Challenge(challengeId);
        if (challenge.Status != ChallengeStatus.Processing)
        {
            return this;
        }

        var updated = Replace(challenge with { Status = ChallengeStatus.Valid, Validated = now, Attempts = challenge.Attempts + 1, NextAttemptAt = null, Error = null });
        return updated with { Status = AuthorizationStatus.Valid, Expires = now + validFor };
    }

    /// <summary>
    /// A failed attempt: retried after <paramref name="retryDelay"/> while attempts remain, else the challenge and
    /// the authorization are invalid (7.1.6: challenge failure), with the last problem as the challenge's error.
    /// </summary>
    public AcmeAuthorization RecordFailure(string challengeId, AcmeProblem problem, DateTimeOffset now, int maxAttempts, TimeSpan retryDelay)
    {
        var challenge = Challenge(challengeId);
        if (challenge.Status != ChallengeStatus.Processing)
        {
            return this;
        }

        var attempts = challenge.Attempts + 1;
        if (attempts < maxAttempts && now + retryDelay < Expires)
        {
            return Replace(challenge with { Attempts = attempts, NextAttemptAt = now + retryDelay, Error = problem });
        }

        var failed = Replace(challenge with { Status = ChallengeStatus.Invalid, Attempts = attempts, NextAttemptAt = null, Error = problem });
        return failed with { Status = AuthorizationStatus.Invalid };
    }

    /// <summary>7.1.6 / 7.5.2: the client deactivates a pending or valid authorization.</summary>
    public AcmeAuthorization Deactivate(DateTimeOffset now)
    {
        var status = StatusAt(now);
        if (status is not (AuthorizationStatus.Pending or AuthorizationStatus.Valid))
        {
            throw AcmeException.Malformed($"the authorization is {StatusNames.Wire(status)}; only a pending or valid authorization can be deactivated");
        }

        var challenges = Challenges
            .Select(c => c.Status == ChallengeStatus.Processing ? c with { NextAttemptAt = null, Status = ChallengeStatus.Invalid, Error = AcmeProblemTable.Problem(AcmeErrorType.Malformed, "the authorization was deactivated") } : c)
            .ToList();
        return this with { Status = AuthorizationStatus.Deactivated, Challenges = challenges };
    }

    /// <summary>The validator found the authorization expired while a challenge was processing: the challenge fails.</summary>
    public AcmeAuthorization AbandonExpired(DateTimeOffset now)
    {
        var processing = Challenges.FirstOrDefault(c => c.Status == ChallengeStatus.Processing);
        if (processing is null || StatusAt(now) != AuthorizationStatus.Expired)
        {
            return this;
        }

        var abandoned = Replace(processing with
        {
            Status = ChallengeStatus.Invalid,
            NextAttemptAt = null,
            Error = processing.Error ?? AcmeProblemTable.Problem(AcmeErrorType.Malformed, "the authorization expired before the challenge could be validated"),
        });
        return abandoned with { Status = AuthorizationStatus.Invalid };
    }

    private AcmeAuthorization Replace(AcmeChallenge challenge) =>
        this with { Challenges = Challenges.Select(c => c.Id == challenge.Id ? challenge : c).ToList() };
}
