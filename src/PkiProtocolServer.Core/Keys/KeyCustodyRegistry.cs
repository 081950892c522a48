using System.Collections.Concurrent;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Keys;

/// <summary>
/// All configured custodies, and the signers opened from them. A signer is opened once per key
/// reference and reused: re-finding an HSM key handle per signature is a known throughput trap.
/// </summary>
public sealed class KeyCustodyRegistry
{
    private readonly Dictionary<string, IKeyCustody> _custodies;
    private readonly ConcurrentDictionary<string, Lazy<Task<ISigner>>> _open = new(StringComparer.Ordinal);

    public KeyCustodyRegistry(IEnumerable<IKeyCustody> custodies)
    {
        _custodies = custodies.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyCollection<string> Names => _custodies.Keys;

    public IKeyCustody Get(string name) =>
        _custodies.TryGetValue(name, out var custody)
            ? custody
            : throw PkiException.Malformed(
                $"key custody '{name}' is not configured on this server; configured: {string.Join(", ", _custodies.Keys)}");

    public async ValueTask<ISigner> GenerateAsync(string custody, KeySpec spec, string label, CancellationToken cancellationToken)
    {
        var signer = await Get(custody).GenerateAsync(spec, label, cancellationToken).ConfigureAwait(false);
        _open.TryAdd(signer.KeyReference, new Lazy<Task<ISigner>>(Task.FromResult(signer)));
        return signer;
    }

    public async ValueTask<ISigner> OpenAsync(string keyReference, CancellationToken cancellationToken)
    {
        var custody = Get(KeyReference.Scheme(keyReference));
        var lazy = _open.GetOrAdd(keyReference, r => new Lazy<Task<ISigner>>(() => custody.OpenAsync(r, CancellationToken.None).AsTask()));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed open (device down, wrong PIN) must not be cached forever.
            _open.TryRemove(new KeyValuePair<string, Lazy<Task<ISigner>>>(keyReference, lazy));
            throw;
        }
    }

    public async ValueTask<bool> DeleteAsync(string keyReference, CancellationToken cancellationToken)
    {
        _open.TryRemove(keyReference, out _);
        return await Get(KeyReference.Scheme(keyReference)).DeleteAsync(keyReference, cancellationToken).ConfigureAwait(false);
    }
}
