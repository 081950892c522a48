using System.Text.Json.Serialization;
using PkiProtocolServer.Core.Issuers;

namespace PkiProtocolServer.Storage.Redis.Documents;

/// <summary>
/// An issuer as stored in the <c>issuers</c> hash. Property names are the stored format: the Lua scripts read
/// <c>name</c> and <c>key_id</c>, so those two must never be renamed.
/// </summary>
internal sealed record IssuerDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Null for a chain-only issuer.</summary>
    [JsonPropertyName("key_id")]
    public string? KeyId { get; init; }

    [JsonPropertyName("certificate_der")]
    public required byte[] CertificateDer { get; init; }

    [JsonPropertyName("leaf_not_after_behavior")]
    public LeafNotAfterBehavior LeafNotAfterBehavior { get; init; } = LeafNotAfterBehavior.Err;

    [JsonPropertyName("usage")]
    public IssuerUsage Usage { get; init; } = IssuerUsage.All;

    [JsonPropertyName("issuing_certificates")]
    public List<string>? IssuingCertificates { get; init; }

    [JsonPropertyName("crl_distribution_points")]
    public List<string>? CrlDistributionPoints { get; init; }

    [JsonPropertyName("ocsp_servers")]
    public List<string>? OcspServers { get; init; }

    /// <summary>Null means "build the chain automatically"; an empty list is kept as empty.</summary>
    [JsonPropertyName("manual_chain")]
    public List<string>? ManualChain { get; init; }

    [JsonPropertyName("created_at")]
    public required DateTimeOffset CreatedAt { get; init; }

    public static IssuerDocument From(Issuer issuer) => new()
    {
        Id = issuer.Id,
        Name = issuer.Name,
        KeyId = issuer.KeyId,
        CertificateDer = issuer.CertificateDer,
        LeafNotAfterBehavior = issuer.LeafNotAfterBehavior,
        Usage = issuer.Usage,
        IssuingCertificates = [.. issuer.Urls.IssuingCertificates],
        CrlDistributionPoints = [.. issuer.Urls.CrlDistributionPoints],
        OcspServers = [.. issuer.Urls.OcspServers],
        ManualChain = issuer.ManualChain is null ? null : [.. issuer.ManualChain],
        CreatedAt = issuer.CreatedAt,
    };

    public Issuer ToIssuer() => new()
    {
        Id = Id,
        Name = Name,
        KeyId = KeyId,
        CertificateDer = CertificateDer,
        LeafNotAfterBehavior = LeafNotAfterBehavior,
        Usage = Usage,
        Urls = new IssuerUrls
        {
            IssuingCertificates = IssuingCertificates ?? [],
            CrlDistributionPoints = CrlDistributionPoints ?? [],
            OcspServers = OcspServers ?? [],
        },
        ManualChain = ManualChain,
        CreatedAt = CreatedAt,
    };
}
