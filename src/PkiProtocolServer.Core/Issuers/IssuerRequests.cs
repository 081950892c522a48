using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Core.Issuers;

/// <summary>The subject and key of a new CA key pair.</summary>
public sealed record CaKeyRequest
{
    /// <summary>Custody that generates and holds the key: <c>software</c>, <c>pkcs11</c>, ...</summary>
    public string Custody { get; init; } = "software";

    public KeySpec KeySpec { get; init; } = KeySpec.EcP256;

    /// <summary>Use this existing key (e.g. <c>pkcs11:token=ca;object=root-2026</c>) instead of generating one.</summary>
    public string? ExistingKeyReference { get; init; }

    public required string CommonName { get; init; }

    public IReadOnlyList<string> Organization { get; init; } = [];

    public IReadOnlyList<string> OrganizationalUnit { get; init; } = [];

    public IReadOnlyList<string> Country { get; init; } = [];
}

/// <summary>CA certificate constraints chosen by the operator.</summary>
public sealed record CaConstraints
{
    public TimeSpan Ttl { get; init; } = TimeSpan.FromDays(3650);

    /// <summary>pathLenConstraint; -1 for none.</summary>
    public int MaxPathLength { get; init; } = -1;

    /// <summary>Permitted DNS subtrees written as a critical name constraint.</summary>
    public IReadOnlyList<string> PermittedDnsDomains { get; init; } = [];
}

public sealed record GenerateRootRequest
{
    public required string Name { get; init; }

    public required CaKeyRequest Key { get; init; }

    public CaConstraints Constraints { get; init; } = new();

    public IssuerSettings Settings { get; init; } = new();

    public bool MakeDefault { get; init; }
}

/// <summary>Settings of an issuer that the operator may change later.</summary>
public sealed record IssuerSettings
{
    public LeafNotAfterBehavior LeafNotAfterBehavior { get; init; } = LeafNotAfterBehavior.Err;

    public IssuerUsage Usage { get; init; } = IssuerUsage.All;

    public IssuerUrls Urls { get; init; } = IssuerUrls.None;
}

public sealed record GenerateIntermediateRequest
{
    /// <summary>Name of the key record; the issuer gets its name at import (set-signed).</summary>
    public required string KeyName { get; init; }

    public required CaKeyRequest Key { get; init; }
}

public sealed record SignIntermediateRequest
{
    public required byte[] Csr { get; init; }

    /// <summary>Subject CN to use instead of the CSR's (<c>use_csr_values</c> off).</summary>
    public string? CommonName { get; init; }

    public CaConstraints Constraints { get; init; } = new() { Ttl = TimeSpan.FromDays(1825) };
}

/// <summary>Changes to an issuer; null fields are left as they are.</summary>
public sealed record IssuerUpdate
{
    public string? Name { get; init; }

    public LeafNotAfterBehavior? LeafNotAfterBehavior { get; init; }

    public IssuerUsage? Usage { get; init; }

    public IssuerUrls? Urls { get; init; }

    /// <summary>Issuer references (self first); an empty list returns to automatic chain building.</summary>
    public IReadOnlyList<string>? ManualChain { get; init; }
}

public sealed record ImportResult(IReadOnlyList<Issuer> Imported, IReadOnlyList<Issuer> AlreadyPresent);

public sealed record IntermediateCsr(IssuerKey Key, byte[] CsrDer);

public sealed record SignedCertificate(string Serial, byte[] CertificateDer, IReadOnlyList<byte[]> Chain);
