namespace PkiProtocolServer.Core.Revocation;

/// <summary>
/// One revoked certificate: what a CRL entry and an OCSP "revoked" answer are made of. Recorded durably
/// before the revocation is acknowledged; never changed afterwards (a second revocation is refused).
/// </summary>
public sealed record RevocationEntry
{
    /// <summary>Serial number in the canonical lower-case hex form of <see cref="X509.SerialNumbers.ToHex"/>.</summary>
    public required string Serial { get; init; }

    /// <summary>The issuer that signed the certificate.</summary>
    public required string IssuerId { get; init; }

    public required DateTimeOffset RevokedAt { get; init; }

    public RevocationReason Reason { get; init; }

    /// <summary>When the key is known or suspected to have been compromised (RFC 5280 5.3.2), if the revoker said so.</summary>
    public DateTimeOffset? InvalidityDate { get; init; }

    /// <summary>The certificate's NotAfter: CRLs drop the entry a grace period after it, tidy removes it after its safety buffer.</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>The CRL shard named in the certificate's CRL distribution point, or null when it names none.</summary>
    public int? Shard { get; init; }

    /// <summary>
    /// The order in which revocations were recorded, across every node sharing the store; assigned by the
    /// store (0 before). Delta CRLs list what came after the sequence their base CRL covers.
    /// </summary>
    public long Sequence { get; init; }

    /// <summary>The certificate itself, kept only when it has no other record here (bring-your-own-certificate of a no_store certificate).</summary>
    public byte[]? CertificateDer { get; init; }
}
