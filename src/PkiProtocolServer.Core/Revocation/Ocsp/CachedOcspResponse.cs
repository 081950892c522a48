namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>
/// A signed OCSP response kept for reuse (RFC 5019 pre-production): served as-is until
/// <see cref="RefreshAt"/>, then signed again. Keyed by the request's CertID, which the response must echo.
/// </summary>
public sealed record CachedOcspResponse
{
    /// <summary>Lower-case hex of the CertID DER.</summary>
    public required string Key { get; init; }

    public required byte[] CertIdDer { get; init; }

    public required string IssuerId { get; init; }

    public required string Serial { get; init; }

    public required OcspCertStatus Status { get; init; }

    public required DateTimeOffset ThisUpdate { get; init; }

    public required DateTimeOffset NextUpdate { get; init; }

    /// <summary>When it should be signed again: halfway to <see cref="NextUpdate"/>, so a refresh never races expiry.</summary>
    public required DateTimeOffset RefreshAt { get; init; }

    /// <summary>The complete OCSPResponse DER.</summary>
    public required byte[] ResponseDer { get; init; }
}
