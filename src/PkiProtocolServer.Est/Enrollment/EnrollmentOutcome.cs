using PkiProtocolServer.Core.Issuance;

namespace PkiProtocolServer.Est.Enrollment;

/// <summary>What an enrollment request ends in: a certificate now, or 202 until an operator decides.</summary>
public abstract record EnrollmentOutcome
{
    private EnrollmentOutcome()
    {
    }

    /// <summary>Issued (with the private key for serverkeygen).</summary>
    public sealed record Issued(IssuanceResult Result) : EnrollmentOutcome;

    /// <summary>Held for manual approval: answer 202 with Retry-After (RFC 7030 4.2.3).</summary>
    public sealed record Pending(PendingEnrollment Enrollment, TimeSpan RetryAfter) : EnrollmentOutcome;
}
