namespace PkiProtocolServer.Core.Revocation.Crl;

/// <summary>Everything of a CRL but its entries and signature.</summary>
public sealed record CrlTemplate
{
    /// <summary>DER Name of the issuer, verbatim from its certificate's subject.</summary>
    public required ReadOnlyMemory<byte> IssuerName { get; init; }

    /// <summary>The issuer's key identifier, written as the Authority Key Identifier (RFC 5280 5.2.1).</summary>
    public required byte[] AuthorityKeyIdentifier { get; init; }

    public required long Number { get; init; }

    /// <summary>Set for a delta CRL: the number of its base complete CRL (Delta CRL Indicator, RFC 5280 5.2.4).</summary>
    public long? BaseNumber { get; init; }

    public required DateTimeOffset ThisUpdate { get; init; }

    public required DateTimeOffset NextUpdate { get; init; }

    /// <summary>Where the delta CRL is (Freshest CRL, RFC 5280 5.2.6); complete CRLs only.</summary>
    public IReadOnlyList<string> FreshestCrlUrls { get; init; } = [];

    /// <summary>The names of this CRL's scope (Issuing Distribution Point, RFC 5280 5.2.5); set for shard CRLs.</summary>
    public IReadOnlyList<string> DistributionPointUrls { get; init; } = [];
}
