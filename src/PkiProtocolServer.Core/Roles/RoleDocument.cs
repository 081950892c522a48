using System.Text.Json.Serialization;
namespace PkiProtocolServer.Core.Roles;

/// <summary>
/// The stored form of a <see cref="Role"/>, written by every store provider (SQLite's <c>roles.document</c>,
/// Redis's <c>roles</c> hash): one property per role setting under Vault's field name (tests keep them in
/// step). A property missing from an older document reads as the core default, so adding a role setting
/// needs no migration. It lives with the role, not with a provider, so the providers cannot drift apart.
/// </summary>
public sealed record RoleDocument
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("issuer_ref")]
    public string? IssuerRef { get; init; }

    [JsonPropertyName("allowed_domains")]
    public List<string>? AllowedDomains { get; init; }

    [JsonPropertyName("allow_bare_domains")]
    public bool? AllowBareDomains { get; init; }

    [JsonPropertyName("allow_subdomains")]
    public bool? AllowSubdomains { get; init; }

    [JsonPropertyName("allow_glob_domains")]
    public bool? AllowGlobDomains { get; init; }

    [JsonPropertyName("allow_wildcard_certificates")]
    public bool? AllowWildcardCertificates { get; init; }

    [JsonPropertyName("allow_localhost")]
    public bool? AllowLocalhost { get; init; }

    [JsonPropertyName("allow_any_name")]
    public bool? AllowAnyName { get; init; }

    [JsonPropertyName("enforce_hostnames")]
    public bool? EnforceHostnames { get; init; }

    [JsonPropertyName("allow_ip_sans")]
    public bool? AllowIpSans { get; init; }

    [JsonPropertyName("allowed_uri_sans")]
    public List<string>? AllowedUriSans { get; init; }

    [JsonPropertyName("key_type")]
    public string? KeyType { get; init; }

    [JsonPropertyName("key_bits")]
    public int? KeyBits { get; init; }

    [JsonPropertyName("key_usage")]
    public List<string>? KeyUsage { get; init; }

    [JsonPropertyName("ext_key_usage")]
    public List<string>? ExtKeyUsage { get; init; }

    [JsonPropertyName("ext_key_usage_oids")]
    public List<string>? ExtKeyUsageOids { get; init; }

    [JsonPropertyName("ttl")]
    public TimeSpan? Ttl { get; init; }

    [JsonPropertyName("max_ttl")]
    public TimeSpan? MaxTtl { get; init; }

    [JsonPropertyName("not_before_duration")]
    public TimeSpan? NotBeforeDuration { get; init; }

    [JsonPropertyName("no_store")]
    public bool? NoStore { get; init; }

    [JsonPropertyName("require_cn")]
    public bool? RequireCn { get; init; }

    [JsonPropertyName("policy_identifiers")]
    public List<string>? PolicyIdentifiers { get; init; }

    [JsonPropertyName("organization")]
    public List<string>? Organization { get; init; }

    [JsonPropertyName("organizational_unit")]
    public List<string>? OrganizationalUnit { get; init; }

    [JsonPropertyName("country")]
    public List<string>? Country { get; init; }

    public static RoleDocument From(Role role) => new()
    {
        Name = role.Name,
        IssuerRef = role.IssuerRef,
        AllowedDomains = [.. role.AllowedDomains],
        AllowBareDomains = role.AllowBareDomains,
        AllowSubdomains = role.AllowSubdomains,
        AllowGlobDomains = role.AllowGlobDomains,
        AllowWildcardCertificates = role.AllowWildcardCertificates,
        AllowLocalhost = role.AllowLocalhost,
        AllowAnyName = role.AllowAnyName,
        EnforceHostnames = role.EnforceHostnames,
        AllowIpSans = role.AllowIpSans,
        AllowedUriSans = [.. role.AllowedUriSans],
        KeyType = role.KeyType,
        KeyBits = role.KeyBits,
        KeyUsage = [.. role.KeyUsage],
        ExtKeyUsage = [.. role.ExtKeyUsage],
        ExtKeyUsageOids = [.. role.ExtKeyUsageOids],
        Ttl = role.Ttl,
        MaxTtl = role.MaxTtl,
        NotBeforeDuration = role.NotBeforeDuration,
        NoStore = role.NoStore,
        RequireCn = role.RequireCn,
        PolicyIdentifiers = [.. role.PolicyIdentifiers],
        Organization = [.. role.Organization],
        OrganizationalUnit = [.. role.OrganizationalUnit],
        Country = [.. role.Country],
    };

    public Role ToRole()
    {
        // Start from the core's defaults so a setting absent from an older document keeps its default.
        var defaults = new Role { Name = Name };
        return defaults with
        {
            IssuerRef = IssuerRef ?? defaults.IssuerRef,
            AllowedDomains = AllowedDomains ?? defaults.AllowedDomains,
            AllowBareDomains = AllowBareDomains ?? defaults.AllowBareDomains,
            AllowSubdomains = AllowSubdomains ?? defaults.AllowSubdomains,
            AllowGlobDomains = AllowGlobDomains ?? defaults.AllowGlobDomains,
            AllowWildcardCertificates = AllowWildcardCertificates ?? defaults.AllowWildcardCertificates,
            AllowLocalhost = AllowLocalhost ?? defaults.AllowLocalhost,
            AllowAnyName = AllowAnyName ?? defaults.AllowAnyName,
            EnforceHostnames = EnforceHostnames ?? defaults.EnforceHostnames,
            AllowIpSans = AllowIpSans ?? defaults.AllowIpSans,
            AllowedUriSans = AllowedUriSans ?? defaults.AllowedUriSans,
            KeyType = KeyType ?? defaults.KeyType,
            KeyBits = KeyBits ?? defaults.KeyBits,
            KeyUsage = KeyUsage ?? defaults.KeyUsage,
            ExtKeyUsage = ExtKeyUsage ?? defaults.ExtKeyUsage,
            ExtKeyUsageOids = ExtKeyUsageOids ?? defaults.ExtKeyUsageOids,
            Ttl = Ttl ?? defaults.Ttl,
            MaxTtl = MaxTtl ?? defaults.MaxTtl,
            NotBeforeDuration = NotBeforeDuration ?? defaults.NotBeforeDuration,
            NoStore = NoStore ?? defaults.NoStore,
            RequireCn = RequireCn ?? defaults.RequireCn,
            PolicyIdentifiers = PolicyIdentifiers ?? defaults.PolicyIdentifiers,
            Organization = Organization ?? defaults.Organization,
            OrganizationalUnit = OrganizationalUnit ?? defaults.OrganizationalUnit,
            Country = Country ?? defaults.Country,
        };
    }
}
