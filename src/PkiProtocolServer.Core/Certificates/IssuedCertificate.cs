namespace PkiProtocolServer.Core.Certificates;

/// <summary>The record of one issued certificate, written before the certificate is handed out.</summary>
public sealed record IssuedCertificate
{
    /// <summary>Serial number as lower-case hex without separators, as in the certificate (leading zero octet dropped).</summary>
    public required string Serial { get; init; }

    public required string IssuerId { get; init; }

    /// <summary>The role it was issued under; null for CA certificates signed by an operator.</summary>
    public string? Role { get; init; }

    public string? CommonName { get; init; }

    /// <summary>Every SAN, prefixed by kind (<c>dns:</c>, <c>ip:</c>, <c>uri:</c>).</summary>
    public IReadOnlyList<string> SubjectAlternativeNames { get; init; } = [];

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    public required byte[] CertificateDer { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }
}
