using System.Globalization;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Storage.Sqlite.Acme;

/// <summary>
/// Rate-limit windows in <c>acme_rate_limits</c> (schema migration 6), one row per key: taken count and window end.
/// A take is one upsert that opens, counts or refuses in the same statement, so concurrent takers never pass the
/// limit. A refused take leaves the count at most one above the limit, which is how the statement tells the two apart.
/// </summary>
public sealed class SqliteRateLimitStore : IRateLimitStore
{
    private readonly SqliteDatabase _database;

    public SqliteRateLimitStore(SqliteDatabase database)
    {
        _database = database;
    }

    public async Task<RateLimitDecision> TryTakeAsync(string key, int limit, TimeSpan period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var at = now.ToUnixTimeMilliseconds();
        var (taken, ends) = await _database.WriteAsync((c, tx, ct) => c.QuerySingleOrDefaultAsync(tx,
            """
            INSERT INTO acme_rate_limits (bucket, taken, window_ends) VALUES (@bucket, 1, @ends)
            ON CONFLICT (bucket) DO UPDATE SET
                taken = CASE WHEN acme_rate_limits.window_ends <= @now THEN 1
                             WHEN acme_rate_limits.taken <= @limit THEN acme_rate_limits.taken + 1
                             ELSE acme_rate_limits.taken END,
                window_ends = CASE WHEN acme_rate_limits.window_ends <= @now THEN @ends ELSE acme_rate_limits.window_ends END
            RETURNING taken, window_ends
            """,
            r => Tuple.Create(r.GetInt64(0), r.GetInt64(1)), ct,
            ("@bucket", key), ("@ends", (now + period).ToUnixTimeMilliseconds()), ("@now", at), ("@limit", limit)), _ => null, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("the rate-limit upsert returned no row");
        return new RateLimitDecision(taken <= limit, DateTimeOffset.FromUnixTimeMilliseconds(ends));
    }

    public async Task<IReadOnlyList<RateLimitDecision>> PeekAsync(IReadOnlyList<RateLimitWindow> windows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0)
        {
            return [];
        }

        var names = windows.Select((_, i) => "@b" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var parameters = windows.Select((w, i) => (names[i], (object?)w.Key)).Append(("@now", now.ToUnixTimeMilliseconds())).ToArray();
        var open = await _database.ReadAsync((c, ct) => c.QueryAsync(null,
            $"SELECT bucket, taken, window_ends FROM acme_rate_limits WHERE bucket IN ({string.Join(", ", names)}) AND window_ends > @now",
            r => (Bucket: r.GetString(0), Taken: r.GetInt64(1), Ends: r.GetInt64(2)), ct, parameters), cancellationToken).ConfigureAwait(false);
        var byKey = open.ToDictionary(w => w.Bucket, StringComparer.Ordinal);
        return windows.Select(w => byKey.TryGetValue(w.Key, out var row)
            ? new RateLimitDecision(row.Taken < w.Limit, DateTimeOffset.FromUnixTimeMilliseconds(row.Ends))
            : new RateLimitDecision(true, now)).ToList();
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx, "DELETE FROM acme_rate_limits WHERE window_ends <= @now", ct, ("@now", now.ToUnixTimeMilliseconds())), _ => null, cancellationToken);
}
