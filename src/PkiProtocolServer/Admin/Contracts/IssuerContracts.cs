using PkiProtocolServer.Core;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Admin.Contracts;

/// <summary>Body of <c>POST /api/v1/issuers/generate/root</c>.</summary>
public sealed record GenerateRootBody
{
    public required string Name { get; init; }

    public required string CommonName { get; init; }

    /// <summary>software | pkcs11 (as configured).</summary>
    public string Custody { get; init; } = "software";

    public string KeyType { get; init; } = "ec";

    public int KeyBits { get; init; }

    /// <summary>Use an existing key instead of generating one, e.g. <c>pkcs11:token=ca;object=root</c>.</summary>
    public string? KeyRef { get; init; }

    public List<string> Organization { get; init; } = [];

    public List<string> Ou { get; init; } = [];

    public List<string> Country { get; init; } = [];

    public string Ttl { get; init; } = "3650d";

    public int MaxPathLength { get; init; } = -1;

    public List<string> PermittedDnsDomains { get; init; } = [];

    public bool MakeDefault { get; init; }

    public IssuerSettingsBody Settings { get; init; } = new();

    public GenerateRootRequest ToRequest() => new()
    {
        Name = Name,
        Key = KeyRequest(CommonName, Custody, KeyType, KeyBits, KeyRef, Organization, Ou, Country),
        Constraints = new CaConstraints { Ttl = Durations.Parse(Ttl, "ttl"), MaxPathLength = MaxPathLength, PermittedDnsDomains = PermittedDnsDomains },
        Settings = Settings.ToSettings(),
        MakeDefault = MakeDefault,
    };

    internal static CaKeyRequest KeyRequest(string commonName, string custody, string keyType, int keyBits, string? keyRef, List<string> o, List<string> ou, List<string> c)
    {
        if (string.IsNullOrWhiteSpace(commonName))
        {
            throw PkiException.Malformed("common_name is required");
        }

        return new CaKeyRequest
        {
            CommonName = commonName,
            Custody = custody,
            KeySpec = KeySpec.Parse(keyType, keyBits),
            ExistingKeyReference = keyRef,
            Organization = o,
            OrganizationalUnit = ou,
            Country = c,
        };
    }
}

/// <summary>Issuer settings an operator may set at creation and change later.</summary>
public sealed record IssuerSettingsBody
{
    public string LeafNotAfterBehavior { get; init; } = "err";

    /// <summary>Any of issuing, crl-signing, ocsp-signing.</summary>
    public List<string> Usage { get; init; } = ["issuing", "crl-signing", "ocsp-signing"];

    public List<string> IssuingCertificates { get; init; } = [];

    public List<string> CrlDistributionPoints { get; init; } = [];

    public List<string> OcspServers { get; init; } = [];

    public IssuerSettings ToSettings() => new()
    {
        LeafNotAfterBehavior = IssuerContractMapping.ParseBehavior(LeafNotAfterBehavior),
        Usage = IssuerContractMapping.ParseUsage(Usage),
        Urls = new IssuerUrls { IssuingCertificates = IssuingCertificates, CrlDistributionPoints = CrlDistributionPoints, OcspServers = OcspServers },
    };
}

/// <summary>Body of <c>POST /api/v1/issuers/generate/intermediate</c>.</summary>
public sealed record GenerateIntermediateBody
{
    public required string KeyName { get; init; }

    public required string CommonName { get; init; }

    public string Custody { get; init; } = "software";

    public string KeyType { get; init; } = "ec";

    public int KeyBits { get; init; }

    public string? KeyRef { get; init; }

    public List<string> Organization { get; init; } = [];

    public List<string> Ou { get; init; } = [];

    public List<string> Country { get; init; } = [];

    public GenerateIntermediateRequest ToRequest() => new()
    {
        KeyName = KeyName,
        Key = GenerateRootBody.KeyRequest(CommonName, Custody, KeyType, KeyBits, KeyRef, Organization, Ou, Country),
    };
}

/// <summary>Body of <c>POST /api/v1/issuers/{ref}/sign-intermediate</c>.</summary>
public sealed record SignIntermediateBody
{
    public required string Csr { get; init; }

    public string? CommonName { get; init; }

    public string Ttl { get; init; } = "1825d";

    public int MaxPathLength { get; init; } = -1;

    public List<string> PermittedDnsDomains { get; init; } = [];
}

/// <summary>Body of <c>POST /api/v1/issuers/import</c> (also <c>/api/v1/intermediate/set-signed</c>).</summary>
public sealed record ImportIssuersBody
{
    public required string PemBundle { get; init; }

    public string? Name { get; init; }
}

/// <summary>Body of <c>PATCH /api/v1/issuers/{ref}</c>: only the fields given change.</summary>
public sealed record UpdateIssuerBody
{
    public string? IssuerName { get; init; }

    public string? LeafNotAfterBehavior { get; init; }

    public List<string>? Usage { get; init; }

    public List<string>? IssuingCertificates { get; init; }

    public List<string>? CrlDistributionPoints { get; init; }

    public List<string>? OcspServers { get; init; }

    /// <summary>Issuer references, self first; empty = automatic chain building.</summary>
    public List<string>? ManualChain { get; init; }
}

public sealed record DefaultIssuerBody
{
    public required string Default { get; init; }
}

public sealed record IssuerView
{
    public required string IssuerId { get; init; }

    public required string IssuerName { get; init; }

    public required bool IsDefault { get; init; }

    public string? KeyId { get; init; }

    public string? Custody { get; init; }

    public string? KeyType { get; init; }

    public required string Subject { get; init; }

    public required string SerialNumber { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    public required bool SelfSigned { get; init; }

    public required List<string> Usage { get; init; }

    public required string LeafNotAfterBehavior { get; init; }

    public required IReadOnlyList<string> IssuingCertificates { get; init; }

    public required IReadOnlyList<string> CrlDistributionPoints { get; init; }

    public required IReadOnlyList<string> OcspServers { get; init; }

    public IReadOnlyList<string>? ManualChain { get; init; }

    public required string Certificate { get; init; }

    /// <summary>PEM certificates of the chain: this issuer first, up to the root.</summary>
    public required List<string> CaChain { get; init; }
}

public sealed record KeyView
{
    public required string KeyId { get; init; }

    public required string KeyName { get; init; }

    public required string KeyRef { get; init; }

    public required string Custody { get; init; }

    public required string KeyType { get; init; }

    public required int KeyBits { get; init; }

    public required bool DevelopmentGradeCustody { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
