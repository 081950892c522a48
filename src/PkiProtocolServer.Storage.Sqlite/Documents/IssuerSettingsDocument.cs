using System.Text.Json.Serialization;
using PkiProtocolServer.Core.Issuers;

namespace PkiProtocolServer.Storage.Sqlite.Documents;

/// <summary>
/// The <c>issuers.settings</c> JSON: an issuer's fields that no query filters on. Property names are the
/// stored format; renaming a core property must not rename these.
/// </summary>
internal sealed record IssuerSettingsDocument
{
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

    /// <summary>Null means "build the chain automatically".</summary>
    [JsonPropertyName("manual_chain")]
    public List<string>? ManualChain { get; init; }

    public static IssuerSettingsDocument From(Issuer issuer) => new()
    {
        LeafNotAfterBehavior = issuer.LeafNotAfterBehavior,
        Usage = issuer.Usage,
        IssuingCertificates = [.. issuer.Urls.IssuingCertificates],
        CrlDistributionPoints = [.. issuer.Urls.CrlDistributionPoints],
        OcspServers = [.. issuer.Urls.OcspServers],
        ManualChain = issuer.ManualChain is null ? null : [.. issuer.ManualChain],
    };

    public IssuerUrls ToUrls() => new()
    {
        IssuingCertificates = IssuingCertificates ?? [],
        CrlDistributionPoints = CrlDistributionPoints ?? [],
        OcspServers = OcspServers ?? [],
    };
}
