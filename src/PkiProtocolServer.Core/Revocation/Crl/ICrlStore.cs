namespace PkiProtocolServer.Core.Revocation.Crl;

/// <summary>
/// Durable store of CRL numbers and published CRLs, shared by every node: one node builds, all serve
/// the same bytes. Owned by the core.
/// </summary>
public interface ICrlStore
{
    /// <summary>The next CRL number of an issuer: strictly greater than every number handed out before, on any node.</summary>
    Task<long> NextNumberAsync(string issuerId, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes <paramref name="crl"/> in its slot (issuer, shard, complete or delta) unless the slot already holds a CRL with
    /// the same or a higher number: a slow builder never replaces a newer CRL. Returns whether it was published.
    /// </summary>
    Task<bool> PublishAsync(PublishedCrl crl, CancellationToken cancellationToken);

    Task<PublishedCrl?> GetAsync(string issuerId, int? shard, bool delta, CancellationToken cancellationToken);

    /// <summary>The description of the CRL in a slot, without reading its bytes.</summary>
    Task<CrlInfo?> GetInfoAsync(string issuerId, int? shard, bool delta, CancellationToken cancellationToken);

    /// <summary>Descriptions of every CRL published for an issuer.</summary>
    Task<IReadOnlyList<CrlInfo>> ListAsync(string issuerId, CancellationToken cancellationToken);
}
