namespace PkiProtocolServer.Core.Audit;

/// <summary>
/// One state-changing operation, for the audit log. Holds identifiers only: never a private key,
/// a token or a password.
/// </summary>
public sealed record AuditEvent
{
    public required DateTimeOffset Time { get; init; }

    /// <summary>Who asked: a token name, an ACME account URL, an EST client subject, or <c>system</c>.</summary>
    public required string Actor { get; init; }

    /// <summary>What was done, e.g. <c>issuer.generate_root</c>, <c>certificate.sign</c>, <c>role.write</c>.</summary>
    public required string Operation { get; init; }

    /// <summary><c>success</c>, <c>refused</c> or <c>error</c>.</summary>
    public required string Outcome { get; init; }

    public string? IssuerId { get; init; }

    public string? Role { get; init; }

    public string? Serial { get; init; }

    /// <summary>Free text: a refusal reason, a changed setting. Never secrets.</summary>
    public string? Detail { get; init; }
}
