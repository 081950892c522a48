namespace PkiProtocolServer.LoadGenerator;

/// <summary>
/// One protocol's unit of work (an EST simpleenroll; a full ACME order). The runner calls <see cref="RunOnceAsync"/>
/// from many workers at once and measures each call; the scenario says how the call ended.
/// </summary>
public interface IScenario : IAsyncDisposable
{
    /// <summary>What one call does, for the report (e.g. <c>EST simpleenroll over mutual TLS</c>).</summary>
    string Description { get; }

    /// <summary>What one call is called in the report (<c>request</c>, <c>order</c>).</summary>
    string Unit => "request";

    /// <summary>Scenario-specific counts over the whole run, printed under the report (retries, round trips).</summary>
    IReadOnlyDictionary<string, long> Counters => new Dictionary<string, long>();

    /// <summary>Everything before the clock starts: credentials, connections, pre-made requests.</summary>
    Task PrepareAsync(int workers, CancellationToken cancellationToken);

    /// <summary>One unit of work by worker <paramref name="worker"/>: null when it succeeded, else the kind of failure.</summary>
    Task<string?> RunOnceAsync(int worker, CancellationToken cancellationToken);
}
