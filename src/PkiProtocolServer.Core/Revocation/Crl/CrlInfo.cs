namespace PkiProtocolServer.Core.Revocation.Crl;

/// <summary>
/// What a published CRL is, without its bytes: which issuer and scope (the complete CRL or one shard),
/// complete or delta, its number, its validity and which revocations it covers.
/// </summary>
public sealed record CrlInfo
{
    public required string IssuerId { get; init; }

    /// <summary>Null for the issuer's CRL of every entry; a shard index otherwise.</summary>
    public int? Shard { get; init; }

    public bool IsDelta { get; init; }

    /// <summary>The CRL number (RFC 5280 5.2.3): one increasing sequence per issuer, shared by complete, delta and shard CRLs and by all nodes.</summary>
    public required long Number { get; init; }

    /// <summary>For a delta CRL, the number of the complete CRL it extends (the Delta CRL Indicator).</summary>
    public long? BaseNumber { get; init; }

    public required DateTimeOffset ThisUpdate { get; init; }

    public required DateTimeOffset NextUpdate { get; init; }

    /// <summary>The highest revocation sequence this CRL accounts for.</summary>
    public required long MaxSequence { get; init; }

    public required long EntryCount { get; init; }
}

/// <summary>A published CRL: its description and its DER.</summary>
public sealed record PublishedCrl(CrlInfo Info, byte[] Der);
