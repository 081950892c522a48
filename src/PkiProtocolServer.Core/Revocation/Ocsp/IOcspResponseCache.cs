namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>
/// Hot state shared by all nodes: pre-signed OCSP responses. Losing it costs signatures, never
/// correctness (every entry can be signed again from the durable records).
/// </summary>
public interface IOcspResponseCache
{
    Task<CachedOcspResponse?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores or replaces the response for its key.</summary>
    Task PutAsync(CachedOcspResponse response, CancellationToken cancellationToken);

    /// <summary>Removes every response about a serial (its status changed); returns how many.</summary>
    Task<int> RemoveSerialAsync(string serial, CancellationToken cancellationToken);

    /// <summary>Responses due for signing again by <paramref name="dueBy"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<CachedOcspResponse>> ListRefreshDueAsync(DateTimeOffset dueBy, int limit, CancellationToken cancellationToken);

    /// <summary>Removes up to <paramref name="limit"/> responses whose nextUpdate is before <paramref name="now"/>; returns how many.</summary>
    Task<int> RemoveExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}
