namespace PkiProtocolServer.Est.Enrollment;

/// <summary>Where an enrollment held for manual approval stands.</summary>
public enum PendingEnrollmentState
{
    /// <summary>Waiting for an operator; the device is told 202 + Retry-After.</summary>
    Pending,

    /// <summary>Approved; the device's next poll issues the certificate.</summary>
    Approved,

    /// <summary>Refused by an operator; the device's polls answer 403 with the reason.</summary>
    Rejected,

    /// <summary>The certificate was issued on a poll after approval (terminal).</summary>
    Completed,

    /// <summary>Issuance after approval failed, e.g. the role changed since (terminal; the device may ask afresh).</summary>
    Failed,
}

/// <summary>
/// An EST enrollment held for an operator's decision (RFC 7030 4.2.3: 202 until the certificate is ready). The device
/// polls by sending the same request again, so the request's CSR hash on its label and operation finds it. Only the
/// CSR is kept: for serverkeygen the key is generated when the approved request is polled, and never stored.
/// </summary>
public sealed record PendingEnrollment
{
    /// <summary>Random identifier (32 hex characters), the handle of the admin API.</summary>
    public required string Id { get; init; }

    /// <summary>Label name; empty for the default label.</summary>
    public required string Label { get; init; }

    public required EstOperation Operation { get; init; }

    /// <summary>SHA-256 of the CSR's DER, lower-case hex: how a poll finds its request.</summary>
    public required string RequestHash { get; init; }

    public required byte[] CsrDer { get; init; }

    /// <summary>Who asked (the EST caller's actor string).</summary>
    public required string Requester { get; init; }

    /// <summary>The CSR's common name, for the operator's list.</summary>
    public string? CommonName { get; init; }

    /// <summary>The CSR's SANs, prefixed by kind (<c>dns:</c>, <c>ip:</c>...), for the operator's list.</summary>
    public IReadOnlyList<string> SubjectAlternativeNames { get; init; } = [];

    public required PendingEnrollmentState State { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The operator who approved or rejected it.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>The operator's reason for a rejection, or what failed.</summary>
    public string? Reason { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Serial of the certificate issued when it completed.</summary>
    public string? Serial { get; init; }
}
