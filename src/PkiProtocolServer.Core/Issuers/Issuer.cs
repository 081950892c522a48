namespace PkiProtocolServer.Core.Issuers;

/// <summary>
/// A CA certificate the server knows: one it can sign with (it has a key) or one kept only to build
/// chains (imported without its key).
/// </summary>
public sealed record Issuer
{
    public required string Id { get; init; }

    /// <summary>Unique, operator-chosen name; <c>default</c> is reserved as a reference to the default issuer.</summary>
    public required string Name { get; init; }

    public required byte[] CertificateDer { get; init; }

    /// <summary>The <see cref="IssuerKey.Id"/> of its key, or null for a chain-only issuer.</summary>
    public string? KeyId { get; init; }

    public LeafNotAfterBehavior LeafNotAfterBehavior { get; init; } = LeafNotAfterBehavior.Err;

    public IssuerUsage Usage { get; init; } = IssuerUsage.All;

    public IssuerUrls Urls { get; init; } = IssuerUrls.None;

    /// <summary>Issuer ids forming this issuer's chain (self first), when the operator overrides automatic chain building (e.g. cross-signed chains).</summary>
    public IReadOnlyList<string>? ManualChain { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
