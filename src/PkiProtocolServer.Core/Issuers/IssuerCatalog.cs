namespace PkiProtocolServer.Core.Issuers;

/// <summary>
/// Serves issuer snapshots to the hot path without a store read and certificate parse per request.
/// Changes made through this node invalidate at once; changes from other nodes arrive within
/// <c>refreshInterval</c>.
/// </summary>
public sealed class IssuerCatalog
{
    private readonly IIssuerStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private volatile IssuerSnapshot? _current;

    public IssuerCatalog(IIssuerStore store, TimeProvider time, TimeSpan? refreshInterval = null)
    {
        _store = store;
        _time = time;
        _refreshInterval = refreshInterval ?? TimeSpan.FromSeconds(5);
    }

    public async ValueTask<IssuerSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = _current;
        if (snapshot is not null && _time.GetUtcNow() - snapshot.LoadedAt < _refreshInterval)
        {
            return snapshot;
        }

        await _loadLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            snapshot = _current;
            if (snapshot is not null && _time.GetUtcNow() - snapshot.LoadedAt < _refreshInterval)
            {
                return snapshot;
            }

            snapshot = await LoadAsync(cancellationToken).ConfigureAwait(false);
            _current = snapshot;
            return snapshot;
        }
        finally
        {
            _loadLock.Release();
        }
    }

    public void Invalidate() => _current = null;

    private async Task<IssuerSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var issuers = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        var keys = (await _store.ListKeysAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(k => k.Id, StringComparer.Ordinal);
        var defaultId = await _store.GetDefaultIdAsync(cancellationToken).ConfigureAwait(false);
        var contexts = issuers
            .Select(i => new IssuerContext(i, i.KeyId is not null && keys.TryGetValue(i.KeyId, out var key) ? key : null))
            .ToList();
        return new IssuerSnapshot(contexts, defaultId, _time.GetUtcNow());
    }
}
