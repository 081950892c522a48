using System.Collections.Concurrent;

namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>
/// This node's memory of signed responses, in front of the shared cache: a hit costs a dictionary lookup.
/// An entry lives at most <see cref="OcspOptions.NodeCacheTtl"/>, which bounds how long another node's revocation
/// stays unseen here; a revocation on this node removes its entries at once.
/// </summary>
public sealed class OcspNodeCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly OcspOptions _options;

    public OcspNodeCache(OcspOptions options)
    {
        _options = options;
    }

    public int Count => _entries.Count;

    public bool TryGet(string key, DateTimeOffset now, out CachedOcspResponse response)
    {
        if (_entries.TryGetValue(key, out var entry) && now < entry.ValidUntil)
        {
            response = entry.Response;
            return true;
        }

        response = null!;
        return false;
    }

    public void Put(CachedOcspResponse response, DateTimeOffset now)
    {
        if (_options.NodeCacheTtl <= TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= _options.NodeCacheMaxEntries)
        {
            // Crude but bounded: a flood of distinct serials (unknown ones are never stored) cannot grow memory without limit.
            _entries.Clear();
        }

        var until = now + _options.NodeCacheTtl;
        _entries[response.Key] = new Entry(response, until < response.RefreshAt ? until : response.RefreshAt);
    }

    /// <summary>Forgets every response about <paramref name="serial"/>.</summary>
    public void RemoveSerial(string serial)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Response.Serial == serial)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    public void Clear() => _entries.Clear();

    private sealed record Entry(CachedOcspResponse Response, DateTimeOffset ValidUntil);
}
