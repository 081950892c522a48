namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>Durable store of delegated OCSP responder certificates, owned by the core.</summary>
public interface IOcspResponderStore
{
    Task AddAsync(OcspResponderRecord responder, CancellationToken cancellationToken);

    /// <summary>The newest responder of an issuer (the one created last), or null.</summary>
    Task<OcspResponderRecord?> GetCurrentAsync(string issuerId, CancellationToken cancellationToken);

    /// <summary>Removes responders whose certificate expired before <paramref name="notAfterBefore"/>; returns them so their keys can be destroyed.</summary>
    Task<IReadOnlyList<OcspResponderRecord>> DeleteExpiredAsync(DateTimeOffset notAfterBefore, CancellationToken cancellationToken);
}
