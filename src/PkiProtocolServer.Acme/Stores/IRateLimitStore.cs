namespace PkiProtocolServer.Acme.Stores;

/// <summary>
/// Rate-limit counters (owned by the ACME front end), kept in the shared store so that a limit holds across every
/// node. Each key is a fixed window: the first take opens it for <c>period</c>, later takes count in it until it
/// ends, then the next take opens a new one. Every operation is one atomic store round trip.
/// </summary>
public interface IRateLimitStore
{
    /// <summary>
    /// Takes one from the window of <paramref name="key"/> if fewer than <paramref name="limit"/> were taken in it
    /// (opening a window of <paramref name="period"/> at <paramref name="now"/> when none is open). Of any number of
    /// concurrent takers on any number of nodes, at most <paramref name="limit"/> are allowed per window.
    /// </summary>
    Task<RateLimitDecision> TryTakeAsync(string key, int limit, TimeSpan period, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a take would be allowed now in each of <paramref name="windows"/>, without taking (for limits counted
    /// elsewhere: failed validations), in one round trip; the answers in the order asked.
    /// </summary>
    Task<IReadOnlyList<RateLimitDecision>> PeekAsync(IReadOnlyList<RateLimitWindow> windows, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes windows that ended at or before <paramref name="now"/>; returns how many (0 where keys expire by themselves).</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>A window to look at: its key and the limit that applies to it.</summary>
public readonly record struct RateLimitWindow(string Key, int Limit);

/// <summary>The answer of a rate-limit window.</summary>
/// <param name="Allowed">Whether the request may go ahead.</param>
/// <param name="WindowEnds">When the current window ends (and a refused request may try again); <c>now</c> when no window is open.</param>
public readonly record struct RateLimitDecision(bool Allowed, DateTimeOffset WindowEnds);
