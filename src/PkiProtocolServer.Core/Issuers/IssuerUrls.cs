namespace PkiProtocolServer.Core.Issuers;

/// <summary>
/// Per-issuer URLs written into the certificates it issues (RFC 5280 AIA and CDP). Set them before
/// issuing: they cannot be changed in certificates already out there.
/// </summary>
public sealed record IssuerUrls
{
    public static readonly IssuerUrls None = new();

    /// <summary>AIA caIssuers: where this issuer's certificate can be fetched.</summary>
    public IReadOnlyList<string> IssuingCertificates { get; init; } = [];

    /// <summary>CRL distribution points.</summary>
    public IReadOnlyList<string> CrlDistributionPoints { get; init; } = [];

    /// <summary>AIA OCSP responders.</summary>
    public IReadOnlyList<string> OcspServers { get; init; } = [];
}
