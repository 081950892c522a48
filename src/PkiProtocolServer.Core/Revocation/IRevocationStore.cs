namespace PkiProtocolServer.Core.Revocation;

/// <summary>
/// Durable store of revocations, owned by the core; implemented by the embedded (SQLite) and shared
/// providers. A revocation is on stable storage when <see cref="AddAsync"/> returns.
/// </summary>
public interface IRevocationStore
{
    /// <summary>
    /// Records <paramref name="entry"/> with the next sequence number unless its serial is already revoked,
    /// atomically. Returns the recorded entry (the earlier one when it existed) and whether this call added it.
    /// </summary>
    Task<(RevocationEntry Entry, bool Added)> AddAsync(RevocationEntry entry, CancellationToken cancellationToken);

    /// <summary>The revocation of a serial, or null when it is not revoked.</summary>
    Task<RevocationEntry?> GetAsync(string serial, CancellationToken cancellationToken);

    /// <summary>Entries matching <paramref name="query"/>, in no particular order, read as they are consumed (a CRL of a million entries never sits in a list).</summary>
    IAsyncEnumerable<RevocationEntry> StreamAsync(RevocationQuery query, CancellationToken cancellationToken);

    /// <summary>The highest sequence recorded for the issuers, per shard (a null shard for entries without one). Empty when none are revoked.</summary>
    Task<IReadOnlyList<ShardWatermark>> WatermarksAsync(IReadOnlyCollection<string> issuerIds, CancellationToken cancellationToken);

    /// <summary>Entries with a sequence above <paramref name="afterSequence"/>, in sequence order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<RevocationEntry>> ListAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Removes up to <paramref name="limit"/> entries whose certificate expired before <paramref name="notAfterBefore"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset notAfterBefore, int limit, CancellationToken cancellationToken);
}

/// <summary>Which revocations a CRL covers: the issuers' entries of one shard (or all), within a sequence window, not long expired.</summary>
public sealed record RevocationQuery
{
    public required IReadOnlyCollection<string> IssuerIds { get; init; }

    /// <summary>Only this shard; null for every entry of the issuers.</summary>
    public int? Shard { get; init; }

    /// <summary>Exclusive lower bound of the sequence (a delta CRL's base).</summary>
    public long AfterSequence { get; init; }

    /// <summary>Inclusive upper bound of the sequence (the watermark read before the build).</summary>
    public long UpToSequence { get; init; } = long.MaxValue;

    /// <summary>Entries whose certificate expired before this are left out.</summary>
    public DateTimeOffset NotAfterFrom { get; init; } = DateTimeOffset.MinValue;
}

/// <summary>The highest revocation sequence of a shard (null: entries without a shard).</summary>
public sealed record ShardWatermark(int? Shard, long MaxSequence);
