namespace PkiProtocolServer.Core.Coordination;

/// <summary>
/// Hot state that lets several nodes share background work: leases (one holder at a time, expiring on
/// their own if the holder dies) and small status documents any node can read.
/// </summary>
public interface ICoordinationStore
{
    /// <summary>
    /// Takes the lease <paramref name="name"/> for <paramref name="owner"/> until <paramref name="now"/> + <paramref name="duration"/>
    /// when it is free, expired, or already held by <paramref name="owner"/> (which renews it). Returns whether the owner holds it now.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(string name, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up if <paramref name="owner"/> holds it; does nothing otherwise.</summary>
    Task ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken);

    Task<StatusDocument?> GetStatusAsync(string name, CancellationToken cancellationToken);

    Task SetStatusAsync(StatusDocument status, CancellationToken cancellationToken);
}

/// <summary>A named JSON document with the time it was written (e.g. the last tidy report).</summary>
public sealed record StatusDocument(string Name, string Json, DateTimeOffset UpdatedAt);
