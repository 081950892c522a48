namespace PkiProtocolServer.Acme.Stores;

/// <summary>
/// Which order replaces which ACME certificate (RFC 9773 5, <c>replaces</c> in newOrder), owned by the ACME front end.
/// A claim is taken and handed over only by compare-and-set, so two racing orders cannot both replace one certificate;
/// once the claiming order is valid the claim is completed and final.
/// </summary>
public interface ICertificateReplacementStore
{
    Task<CertificateReplacement?> GetAsync(string certificateId, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the claim on <paramref name="certificateId"/> to <paramref name="orderId"/> if it is now held by
    /// <paramref name="expectedOrderId"/> (null: nobody) and not completed; false when another writer won or it is completed.
    /// <paramref name="expires"/> (the replaced certificate's NotAfter) is when the record may be purged;
    /// <paramref name="claimedAt"/> is recorded with the claim.
    /// </summary>
    Task<bool> TryClaimAsync(string certificateId, string orderId, string? expectedOrderId, DateTimeOffset claimedAt, DateTimeOffset expires, CancellationToken cancellationToken);

    /// <summary>Makes the claim of <paramref name="orderId"/> final (its order became valid); false when that order does not hold it.</summary>
    Task<bool> CompleteAsync(string certificateId, string orderId, CancellationToken cancellationToken);

    /// <summary>Removes records whose replaced certificate expired at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The claim of one order on replacing one certificate, since <see cref="ClaimedAt"/>.</summary>
public sealed record CertificateReplacement(string CertificateId, string OrderId, bool Completed, DateTimeOffset ClaimedAt, DateTimeOffset Expires);
