namespace PkiProtocolServer.Core.Revocation.Tidy;

/// <summary>What one tidy run removed, and when and where it ran.</summary>
public sealed record TidyReport
{
    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>The node that ran it.</summary>
    public required string Node { get; init; }

    /// <summary>Who asked: an operator token or <c>system:maintenance</c>.</summary>
    public required string Actor { get; init; }

    public required TimeSpan SafetyBuffer { get; init; }

    /// <summary>Records expiring before this were removed.</summary>
    public required DateTimeOffset Cutoff { get; init; }

    public long CertificatesRemoved { get; init; }

    public long RevocationsRemoved { get; init; }

    public long OcspResponsesRemoved { get; init; }

    public long OcspRespondersRemoved { get; init; }
}
