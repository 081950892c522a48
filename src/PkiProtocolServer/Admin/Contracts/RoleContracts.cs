using PkiProtocolServer.Core;
using PkiProtocolServer.Core.Roles;

namespace PkiProtocolServer.Admin.Contracts;

/// <summary>
/// A role as the admin API reads and writes it (Vault's field names). Writing replaces the whole role;
/// a field left out takes its default, and every default denies.
/// </summary>
public sealed record RoleBody
{
    public string IssuerRef { get; init; } = "default";

    public List<string> AllowedDomains { get; init; } = [];

    public bool AllowBareDomains { get; init; }

    public bool AllowSubdomains { get; init; }

    public bool AllowGlobDomains { get; init; }

    public bool AllowWildcardCertificates { get; init; }

    public bool AllowLocalhost { get; init; }

    public bool AllowAnyName { get; init; }

    public bool EnforceHostnames { get; init; } = true;

    public bool AllowIpSans { get; init; }

    public List<string> AllowedUriSans { get; init; } = [];

    public string KeyType { get; init; } = "any";

    public int KeyBits { get; init; }

    public List<string> KeyUsage { get; init; } = ["DigitalSignature", "KeyAgreement", "KeyEncipherment"];

    public List<string> ExtKeyUsage { get; init; } = ["ServerAuth", "ClientAuth"];

    public List<string> ExtKeyUsageOids { get; init; } = [];

    public string Ttl { get; init; } = "30d";

    public string MaxTtl { get; init; } = "90d";

    public string NotBeforeDuration { get; init; } = "30s";

    public bool NoStore { get; init; }

    public bool RequireCn { get; init; }

    public List<string> PolicyIdentifiers { get; init; } = [];

    public List<string> Organization { get; init; } = [];

    public List<string> Ou { get; init; } = [];

    public List<string> Country { get; init; } = [];

    public Role ToRole(string name) => new()
    {
        Name = name,
        IssuerRef = IssuerRef,
        AllowedDomains = AllowedDomains,
        AllowBareDomains = AllowBareDomains,
        AllowSubdomains = AllowSubdomains,
        AllowGlobDomains = AllowGlobDomains,
        AllowWildcardCertificates = AllowWildcardCertificates,
        AllowLocalhost = AllowLocalhost,
        AllowAnyName = AllowAnyName,
        EnforceHostnames = EnforceHostnames,
        AllowIpSans = AllowIpSans,
        AllowedUriSans = AllowedUriSans,
        KeyType = KeyType.ToLowerInvariant(),
        KeyBits = KeyBits,
        KeyUsage = KeyUsage,
        ExtKeyUsage = ExtKeyUsage,
        ExtKeyUsageOids = ExtKeyUsageOids,
        Ttl = Durations.Parse(Ttl, "ttl"),
        MaxTtl = Durations.Parse(MaxTtl, "max_ttl"),
        NotBeforeDuration = Durations.Parse(NotBeforeDuration, "not_before_duration"),
        NoStore = NoStore,
        RequireCn = RequireCn,
        PolicyIdentifiers = PolicyIdentifiers,
        Organization = Organization,
        OrganizationalUnit = Ou,
        Country = Country,
    };

    public static RoleView ToView(Role role) => new()
    {
        Name = role.Name,
        Role = new RoleBody
        {
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
            Ttl = Durations.Format(role.Ttl),
            MaxTtl = Durations.Format(role.MaxTtl),
            NotBeforeDuration = Durations.Format(role.NotBeforeDuration),
            NoStore = role.NoStore,
            RequireCn = role.RequireCn,
            PolicyIdentifiers = [.. role.PolicyIdentifiers],
            Organization = [.. role.Organization],
            Ou = [.. role.OrganizationalUnit],
            Country = [.. role.Country],
        },
    };
}

public sealed record RoleView
{
    public required string Name { get; init; }

    public required RoleBody Role { get; init; }
}
