using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Tests.Model;

/// <summary>The authorization and challenge status machines of RFC 8555 7.1.6, owned by <see cref="AcmeAuthorization"/>.</summary>
public sealed class AuthorizationStatusMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly AcmeProblem Problem = AcmeProblemTable.Problem(AcmeErrorType.Connection, "refused");

    private static AcmeAuthorization Pending() => new()
    {
        Id = "authz",
        AccountId = "account",
        Directory = "default",
        Identifier = new AcmeIdentifier("dns", "www.example.org"),
        Expires = Now.AddHours(1),
        Challenges =
        [
            new AcmeChallenge { Id = "http", Type = AcmeChallenge.Http01, Token = "t1" },
            new AcmeChallenge { Id = "dns", Type = AcmeChallenge.Dns01, Token = "t2" },
        ],
        CreatedAt = Now,
    };

    [Fact]
    public void Answering_a_challenge_makes_it_processing_and_due_now()
    {
        var started = Pending().BeginValidation("http", Now);

        Assert.Equal(ChallengeStatus.Processing, started.Challenge("http").Status);
        Assert.Equal(Now, started.ValidationDueAt);
        Assert.Equal(AuthorizationStatus.Pending, started.Status);
    }

    [Fact]
    public void Answering_a_processing_challenge_again_changes_nothing()
    {
        var started = Pending().BeginValidation("http", Now);

        Assert.Same(started, started.BeginValidation("http", Now.AddSeconds(5)));
    }

    [Fact]
    public void A_second_challenge_cannot_be_answered_while_one_is_processing()
    {
        var started = Pending().BeginValidation("http", Now);

        Assert.Equal(AcmeErrorType.Malformed, Assert.Throws<AcmeException>(() => started.BeginValidation("dns", Now)).Type);
    }

    [Fact]
    public void A_challenge_of_an_expired_authorization_cannot_be_answered()
    {
        Assert.Throws<AcmeException>(() => Pending().BeginValidation("http", Now.AddHours(2)));
    }

    [Fact]
    public void A_valid_challenge_makes_the_authorization_valid_for_the_valid_lifetime()
    {
        var valid = Pending().BeginValidation("http", Now).RecordSuccess("http", Now.AddSeconds(1), TimeSpan.FromDays(7));

        Assert.Equal(AuthorizationStatus.Valid, valid.Status);
        Assert.Equal(ChallengeStatus.Valid, valid.Challenge("http").Status);
        Assert.Equal(Now.AddSeconds(1), valid.Challenge("http").Validated);
        Assert.Equal(Now.AddSeconds(1).AddDays(7), valid.Expires);
        Assert.Null(valid.ValidationDueAt);
        Assert.Equal(ChallengeStatus.Pending, valid.Challenge("dns").Status);
    }

    [Fact]
    public void A_failed_attempt_is_retried_until_the_attempts_run_out_then_everything_is_invalid()
    {
        var started = Pending().BeginValidation("http", Now);

        var retried = started.RecordFailure("http", Problem, Now, maxAttempts: 2, TimeSpan.FromSeconds(3));
        var failed = retried.RecordFailure("http", Problem, Now.AddSeconds(3), maxAttempts: 2, TimeSpan.FromSeconds(3));

        Assert.Equal(ChallengeStatus.Processing, retried.Challenge("http").Status);
        Assert.Equal(Now.AddSeconds(3), retried.ValidationDueAt);
        Assert.Equal(ChallengeStatus.Invalid, failed.Challenge("http").Status);
        Assert.Equal(AuthorizationStatus.Invalid, failed.Status);
        Assert.Equal(2, failed.Challenge("http").Attempts);
        Assert.Same(Problem, failed.Challenge("http").Error);
        Assert.Null(failed.ValidationDueAt);
    }

    [Fact]
    public void A_retry_that_would_fall_after_the_expiry_is_not_scheduled()
    {
        var started = Pending().BeginValidation("http", Now);

        var failed = started.RecordFailure("http", Problem, Now.AddMinutes(59), maxAttempts: 5, TimeSpan.FromMinutes(2));

        Assert.Equal(AuthorizationStatus.Invalid, failed.Status);
    }

    [Fact]
    public void A_lease_pushes_the_due_time_and_results_only_apply_to_processing_challenges()
    {
        var leased = Pending().BeginValidation("http", Now).Lease("http", Now.AddSeconds(25));

        Assert.Equal(Now.AddSeconds(25), leased.ValidationDueAt);
        var pending = Pending();
        Assert.Same(pending, pending.RecordSuccess("http", Now, TimeSpan.FromDays(1)));
        Assert.Same(pending, pending.RecordFailure("http", Problem, Now, 3, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_pending_or_valid_authorization_can_be_deactivated(bool valid)
    {
        var authorization = valid ? Pending().BeginValidation("http", Now).RecordSuccess("http", Now, TimeSpan.FromDays(1)) : Pending().BeginValidation("http", Now);

        var deactivated = authorization.Deactivate(Now);

        Assert.Equal(AuthorizationStatus.Deactivated, deactivated.Status);
        Assert.Null(deactivated.ValidationDueAt);
        Assert.Throws<AcmeException>(() => deactivated.Deactivate(Now));
    }

    [Fact]
    public void An_invalid_or_expired_authorization_cannot_be_deactivated()
    {
        var invalid = Pending().BeginValidation("http", Now).RecordFailure("http", Problem, Now, 1, TimeSpan.Zero);

        Assert.Throws<AcmeException>(() => invalid.Deactivate(Now));
        Assert.Throws<AcmeException>(() => Pending().Deactivate(Now.AddHours(1)));
    }

    [Fact]
    public void Pending_and_valid_authorizations_read_as_expired_after_their_expiry()
    {
        Assert.Equal(AuthorizationStatus.Pending, Pending().StatusAt(Now.AddMinutes(59)));
        Assert.Equal(AuthorizationStatus.Expired, Pending().StatusAt(Now.AddHours(1)));
    }

    [Fact]
    public void A_processing_challenge_of_an_expired_authorization_is_abandoned_as_invalid()
    {
        var abandoned = Pending().BeginValidation("http", Now).AbandonExpired(Now.AddHours(2));

        Assert.Equal(AuthorizationStatus.Invalid, abandoned.Status);
        Assert.Equal(ChallengeStatus.Invalid, abandoned.Challenge("http").Status);
        Assert.Null(abandoned.ValidationDueAt);
    }

    [Fact]
    public void An_unknown_challenge_is_not_found()
    {
        Assert.Equal(404, Assert.Throws<AcmeException>(() => Pending().Challenge("nope")).Status);
    }

    [Fact]
    public void A_deactivated_account_stays_deactivated_and_a_revoked_one_cannot_be_deactivated()
    {
        var account = new AcmeAccount { Id = "a", Directory = "default", Jwk = "{}", KeyThumbprint = "t", CreatedAt = Now };

        Assert.Equal(AccountStatus.Deactivated, account.Deactivate().Deactivate().Status);
        Assert.Throws<AcmeException>(() => (account with { Status = AccountStatus.Revoked }).Deactivate());
    }
}
