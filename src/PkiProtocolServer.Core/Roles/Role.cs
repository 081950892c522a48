namespace PkiProtocolServer.Core.Roles;

/// <summary>
/// A named issuance policy, modelled on Vault PKI roles. Every permission defaults to "no": a new role
/// with only a name issues nothing until domains, names or IPs are allowed explicitly.
/// </summary>
public sealed record Role
{
    public required string Name { get; init; }

    /// <summary>Issuer id or name, or <c>default</c> for the server's default issuer.</summary>
    public string IssuerRef { get; init; } = "default";

    public IReadOnlyList<string> AllowedDomains { get; init; } = [];

    /// <summary>Allow a name equal to an allowed domain.</summary>
    public bool AllowBareDomains { get; init; }

    /// <summary>Allow names below an allowed domain (any depth).</summary>
    public bool AllowSubdomains { get; init; }

    /// <summary>Treat <c>*</c> in allowed domains as a glob (<c>web-*.example.com</c>).</summary>
    public bool AllowGlobDomains { get; init; }

    /// <summary>Allow names whose left-most label is <c>*</c>.</summary>
    public bool AllowWildcardCertificates { get; init; }

    /// <summary>Allow <c>localhost</c> and names under <c>.localhost</c>.</summary>
    public bool AllowLocalhost { get; init; }

    /// <summary>Allow any DNS name (still subject to <see cref="EnforceHostnames"/> and wildcard rules).</summary>
    public bool AllowAnyName { get; init; }

    /// <summary>Require DNS names to be valid hostnames (RFC 1123 labels).</summary>
    public bool EnforceHostnames { get; init; } = true;

    public bool AllowIpSans { get; init; }

    /// <summary>Allowed URI SANs, as globs (<c>spiffe://cluster.local/*</c>).</summary>
    public IReadOnlyList<string> AllowedUriSans { get; init; } = [];

    /// <summary><c>any</c>, <c>rsa</c>, <c>ec</c> or <c>ed25519</c>.</summary>
    public string KeyType { get; init; } = "any";

    /// <summary>Minimum key size: RSA modulus bits, or EC curve bits; 0 = the safe minimum (RSA 2048, P-256).</summary>
    public int KeyBits { get; init; }

    /// <summary>X.509 key usages by name (DigitalSignature, KeyEncipherment, KeyAgreement, ...).</summary>
    public IReadOnlyList<string> KeyUsage { get; init; } = ["DigitalSignature", "KeyAgreement", "KeyEncipherment"];

    /// <summary>Extended key usages by name (ServerAuth, ClientAuth, CodeSigning, EmailProtection, TimeStamping, OcspSigning).</summary>
    public IReadOnlyList<string> ExtKeyUsage { get; init; } = ["ServerAuth", "ClientAuth"];

    /// <summary>Extra extended key usages by OID.</summary>
    public IReadOnlyList<string> ExtKeyUsageOids { get; init; } = [];

    /// <summary>Lifetime when the request asks for none.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Longest lifetime a request may ask for.</summary>
    public TimeSpan MaxTtl { get; init; } = TimeSpan.FromDays(90);

    /// <summary>How far NotBefore is set in the past, for clock skew.</summary>
    public TimeSpan NotBeforeDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Do not record issued certificates (they can still be revoked by presenting them).</summary>
    public bool NoStore { get; init; }

    /// <summary>Require a common name in the request.</summary>
    public bool RequireCn { get; init; }

    /// <summary>Certificate policy OIDs to include.</summary>
    public IReadOnlyList<string> PolicyIdentifiers { get; init; } = [];

    /// <summary>Subject attributes set by the role, never by the requester.</summary>
    public IReadOnlyList<string> Organization { get; init; } = [];

    public IReadOnlyList<string> OrganizationalUnit { get; init; } = [];

    public IReadOnlyList<string> Country { get; init; } = [];
}
