using System.Globalization;
using System.Runtime.CompilerServices;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Storage.Redis.Documents;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// Revocations, one string key <c>revocation:&lt;serial&gt;</c> each, indexed by sequence (globally, per issuer and
/// per issuer and shard) and by NotAfter. The sequence is taken by INCR in the same script that writes the record
/// and its indexes, so it follows the order in which revocations are recorded on every node.
/// </summary>
public sealed class RedisRevocationStore : IRevocationStore
{
    /// <summary>Serials read per round trip while streaming: a million-entry CRL never arrives in one reply.</summary>
    internal const int StreamPageSize = 1000;

    private readonly RedisConnection _connection;

    public RedisRevocationStore(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    public async Task<(RevocationEntry Entry, bool Added)> AddAsync(RevocationEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var shardKey = RedisRevocationKeys.ShardKey(entry.Shard);
        var result = await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RedisRevocationScripts.AddRevocation, new
        {
            entry = RedisRevocationKeys.Revocation(entry.Serial),
            counter = RedisRevocationKeys.RevocationSequence,
            bySequence = RedisRevocationKeys.RevocationsBySequence,
            byIssuer = RedisRevocationKeys.RevocationsByIssuer(entry.IssuerId),
            byShard = RedisRevocationKeys.RevocationsByShard(entry.IssuerId, shardKey),
            shards = RedisRevocationKeys.RevocationShards(entry.IssuerId),
            byNotAfter = RedisRevocationKeys.RevocationsByNotAfter,
            serial = entry.Serial,
            json = RedisJson.Write(RevocationDocument.From(entry) with { Sequence = 0 }, RedisRevocationJsonContext.Instance.RevocationDocument),
            shardKey,
            notAfter = entry.NotAfter.ToUnixTimeMilliseconds(),
        }), cancellationToken).ConfigureAwait(false);

        if (result.Resp2Type == ResultType.Array)
        {
            return (entry with { Sequence = (long)((RedisResult[])result!)[0] }, true);
        }

        return (Read((RedisValue)result), false);
    }

    public Task<RevocationEntry?> GetAsync(string serial, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var value = await db.StringGetAsync(RedisRevocationKeys.Revocation(serial)).ConfigureAwait(false);
            return value.IsNull ? null : Read(value);
        }, cancellationToken);

    /// <summary>
    /// Pages each issuer's sequence index (or its shard index) by score, <see cref="StreamPageSize"/> serials a time,
    /// fetching their records with one MGET per page. Entries removed by tidy between the two reads are skipped.
    /// </summary>
    public async IAsyncEnumerable<RevocationEntry> StreamAsync(RevocationQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var notAfterFrom = query.NotAfterFrom;
        var upTo = query.UpToSequence == long.MaxValue ? double.PositiveInfinity : query.UpToSequence;
        foreach (var issuerId in query.IssuerIds.Distinct(StringComparer.Ordinal))
        {
            var index = query.Shard is { } shard
                ? RedisRevocationKeys.RevocationsByShard(issuerId, RedisRevocationKeys.ShardKey(shard))
                : RedisRevocationKeys.RevocationsByIssuer(issuerId);
            double after = query.AfterSequence;
            while (true)
            {
                var from = after;
                var page = await _connection.ReadAsync(
                    db => db.SortedSetRangeByScoreWithScoresAsync(index, from, upTo, Exclude.Start, Order.Ascending, 0, StreamPageSize),
                    cancellationToken).ConfigureAwait(false);
                if (page.Length == 0)
                {
                    break;
                }

                var values = await _connection.ReadAsync(
                    db => db.StringGetAsync([.. page.Select(e => RedisRevocationKeys.Revocation((string)e.Element!))]),
                    cancellationToken).ConfigureAwait(false);
                foreach (var value in values)
                {
                    if (value.IsNull)
                    {
                        continue;
                    }

                    var entry = Read(value);
                    if (entry.NotAfter >= notAfterFrom)
                    {
                        // As the embedded store: a CRL needs neither the kept certificate nor an order.
                        yield return entry with { CertificateDer = null };
                    }
                }

                if (page.Length < StreamPageSize)
                {
                    break;
                }

                after = page[^1].Score;
            }
        }
    }

    public async Task<IReadOnlyList<ShardWatermark>> WatermarksAsync(IReadOnlyCollection<string> issuerIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuerIds);
        var highest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var issuerId in issuerIds.Distinct(StringComparer.Ordinal))
        {
            var shards = await _connection.ReadAsync(db => db.SetMembersAsync(RedisRevocationKeys.RevocationShards(issuerId)), cancellationToken).ConfigureAwait(false);
            foreach (var member in shards)
            {
                var shardKey = (string)member!;
                var top = await _connection.ReadAsync(
                    db => db.SortedSetRangeByRankWithScoresAsync(RedisRevocationKeys.RevocationsByShard(issuerId, shardKey), 0, 0, Order.Descending),
                    cancellationToken).ConfigureAwait(false);
                if (top.Length == 0)
                {
                    continue;
                }

                var sequence = (long)top[0].Score;
                highest[shardKey] = highest.TryGetValue(shardKey, out var known) ? Math.Max(known, sequence) : sequence;
            }
        }

        return [.. highest.Select(h => new ShardWatermark(RedisRevocationKeys.ParseShardKey(h.Key), h.Value))];
    }

    public Task<IReadOnlyList<RevocationEntry>> ListAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        if (limit < 1)
        {
            return Task.FromResult<IReadOnlyList<RevocationEntry>>([]);
        }

        return _connection.ReadAsync<IReadOnlyList<RevocationEntry>>(async db =>
        {
            var serials = await db.SortedSetRangeByScoreAsync(RedisRevocationKeys.RevocationsBySequence, afterSequence, double.PositiveInfinity, Exclude.Start, Order.Ascending, 0, limit).ConfigureAwait(false);
            if (serials.Length == 0)
            {
                return [];
            }

            var values = await db.StringGetAsync([.. serials.Select(s => RedisRevocationKeys.Revocation((string)s!))]).ConfigureAwait(false);
            return [.. values.Where(v => !v.IsNull).Select(Read)];
        }, cancellationToken);
    }

    /// <summary>
    /// Tidy: the earliest-expiring serials from <c>revocations:not-after</c>, each removed with its indexes by one
    /// script that re-checks the expiry, so nodes tidying at once never remove anything twice or too early.
    /// </summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset notAfterBefore, int limit, CancellationToken cancellationToken)
    {
        if (limit < 1)
        {
            return 0;
        }

        var before = notAfterBefore.ToUnixTimeMilliseconds();
        var serials = await _connection.ReadAsync(
            db => db.SortedSetRangeByScoreAsync(RedisRevocationKeys.RevocationsByNotAfter, double.NegativeInfinity, before, Exclude.Stop, Order.Ascending, 0, limit),
            cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var member in serials)
        {
            var serial = (string)member!;
            var entry = await GetAsync(serial, cancellationToken).ConfigureAwait(false);
            if (entry is null)
            {
                continue;
            }

            var shardKey = RedisRevocationKeys.ShardKey(entry.Shard);
            removed += (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RedisRevocationScripts.DeleteExpiredRevocation, new
            {
                entry = RedisRevocationKeys.Revocation(serial),
                bySequence = RedisRevocationKeys.RevocationsBySequence,
                byIssuer = RedisRevocationKeys.RevocationsByIssuer(entry.IssuerId),
                byShard = RedisRevocationKeys.RevocationsByShard(entry.IssuerId, shardKey),
                shards = RedisRevocationKeys.RevocationShards(entry.IssuerId),
                byNotAfter = RedisRevocationKeys.RevocationsByNotAfter,
                serial,
                shardKey,
                before = before.ToString(CultureInfo.InvariantCulture),
            }), cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    private static RevocationEntry Read(RedisValue value) =>
        RedisJson.Read(value, RedisRevocationJsonContext.Instance.RevocationDocument, "revocation").ToEntry();
}
