using System.Net;
using PkiProtocolServer.Core;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Admin.Contracts;

/// <summary>Body of <c>POST /api/v1/sign/{role}</c>: a CSR in PEM.</summary>
public sealed record SignBody
{
    public required string Csr { get; init; }

    public string? Ttl { get; init; }
}

/// <summary>Body of <c>POST /api/v1/issue/{role}</c>: names; the server makes the key and returns it once.</summary>
public sealed record IssueBody
{
    public string? CommonName { get; init; }

    public List<string> AltNames { get; init; } = [];

    public List<string> IpSans { get; init; } = [];

    public List<string> UriSans { get; init; } = [];

    public string? Ttl { get; init; }

    public string KeyType { get; init; } = "ec";

    public int KeyBits { get; init; }

    public SubjectNames Names()
    {
        var ips = new List<IPAddress>();
        foreach (var text in IpSans)
        {
            ips.Add(IPAddress.TryParse(text, out var ip) ? ip : throw PkiException.Malformed($"ip_sans entry '{text}' is not an IP address"));
        }

        foreach (var uri in UriSans)
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out _))
            {
                throw PkiException.Malformed($"uri_sans entry '{uri}' is not an absolute URI");
            }
        }

        return new SubjectNames { DnsNames = AltNames, IpAddresses = ips, Uris = UriSans };
    }

    public TimeSpan? ParsedTtl() => Ttl is null ? null : Durations.Parse(Ttl, "ttl");
}

public sealed record CertificateView
{
    public required string SerialNumber { get; init; }

    public required string Certificate { get; init; }

    public required string IssuerId { get; init; }

    /// <summary>The issuing CA's certificate (PEM).</summary>
    public string? IssuingCa { get; init; }

    /// <summary>The chain above the certificate: issuing CA first, root last (PEM each).</summary>
    public List<string>? CaChain { get; init; }

    public string? Role { get; init; }

    public string? CommonName { get; init; }

    public required IReadOnlyList<string> SubjectAlternativeNames { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>Unix seconds of NotAfter (Vault's <c>expiration</c>).</summary>
    public required long Expiration { get; init; }

    public bool? Stored { get; init; }

    /// <summary>Only on <c>issue</c>: the PKCS#8 private key, shown this once and never stored.</summary>
    public string? PrivateKey { get; init; }

    public string? PrivateKeyType { get; init; }

    public static CertificateView From(IssuanceResult result, string? keyType = null) => From(result.Certificate) with
    {
        IssuingCa = result.Chain.Count > 0 ? Pem.Encode("CERTIFICATE", result.Chain[0]) : null,
        CaChain = result.Chain.Select(c => Pem.Encode("CERTIFICATE", c)).ToList(),
        Stored = result.Stored,
        PrivateKey = result.PrivateKeyPem,
        PrivateKeyType = result.PrivateKeyPem is null ? null : keyType,
    };

    public static CertificateView From(IssuedCertificate record) => new()
    {
        SerialNumber = record.Serial,
        Certificate = Pem.Encode("CERTIFICATE", record.CertificateDer),
        IssuerId = record.IssuerId,
        Role = record.Role,
        CommonName = record.CommonName,
        SubjectAlternativeNames = record.SubjectAlternativeNames,
        NotBefore = record.NotBefore,
        NotAfter = record.NotAfter,
        Expiration = record.NotAfter.ToUnixTimeSeconds(),
    };
}

public sealed record CertificateListView(IReadOnlyList<CertificateSummary> Certificates, string? NextAfter);

public sealed record CertificateSummary(string SerialNumber, string IssuerId, string? Role, string? CommonName, DateTimeOffset NotAfter);
