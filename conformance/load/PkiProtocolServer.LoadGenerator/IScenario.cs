namespace PkiProtocolServer.LoadGenerator;

/// <summary>
/// One protocol's unit of work (an EST simpleenroll; an ACME order, later). The runner calls <see cref="RunOnceAsync"/>
/// from many workers at once and measures each call; the scenario says how the call ended.
/// </summary>
public interface IScenario : IAsyncDisposable
{
    /// <summary>What one call does, for the report (e.g. <c>EST simpleenroll over mutual TLS</c>).</summary>
    string Description { get; }

    /// <summary>Everything before the clock starts: credentials, connections, pre-made requests.</summary>
    Task PrepareAsync(int workers, CancellationToken cancellationToken);

    /// <summary>One unit of work by worker <paramref name="worker"/>: null when it succeeded, else the kind of failure.</summary>
    Task<string?> RunOnceAsync(int worker, CancellationToken cancellationToken);
}
