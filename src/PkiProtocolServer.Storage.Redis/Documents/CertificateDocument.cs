using System.Text.Json.Serialization;
using PkiProtocolServer.Core.Certificates;

namespace PkiProtocolServer.Storage.Redis.Documents;

/// <summary>An issued certificate as stored under <c>cert:&lt;serial&gt;</c>. Property names are the stored format.</summary>
internal sealed record CertificateDocument
{
    [JsonPropertyName("serial")]
    public required string Serial { get; init; }

    [JsonPropertyName("issuer_id")]
    public required string IssuerId { get; init; }

    [JsonPropertyName("role")]
    public string? Role { get; init; }

    [JsonPropertyName("common_name")]
    public string? CommonName { get; init; }

    [JsonPropertyName("subject_alt_names")]
    public List<string>? SubjectAlternativeNames { get; init; }

    [JsonPropertyName("not_before")]
    public required DateTimeOffset NotBefore { get; init; }

    [JsonPropertyName("not_after")]
    public required DateTimeOffset NotAfter { get; init; }

    [JsonPropertyName("certificate_der")]
    public required byte[] CertificateDer { get; init; }

    [JsonPropertyName("issued_at")]
    public required DateTimeOffset IssuedAt { get; init; }

    public static CertificateDocument From(IssuedCertificate certificate) => new()
    {
        Serial = certificate.Serial,
        IssuerId = certificate.IssuerId,
        Role = certificate.Role,
        CommonName = certificate.CommonName,
        SubjectAlternativeNames = [.. certificate.SubjectAlternativeNames],
        NotBefore = certificate.NotBefore,
        NotAfter = certificate.NotAfter,
        CertificateDer = certificate.CertificateDer,
        IssuedAt = certificate.IssuedAt,
    };

    public IssuedCertificate ToCertificate() => new()
    {
        Serial = Serial,
        IssuerId = IssuerId,
        Role = Role,
        CommonName = CommonName,
        SubjectAlternativeNames = SubjectAlternativeNames ?? [],
        NotBefore = NotBefore,
        NotAfter = NotAfter,
        CertificateDer = CertificateDer,
        IssuedAt = IssuedAt,
    };
}
