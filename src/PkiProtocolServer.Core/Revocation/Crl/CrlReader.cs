using System.Collections.Concurrent;
using PkiProtocolServer.Core.Issuers;

namespace PkiProtocolServer.Core.Revocation.Crl;

/// <summary>
/// Serves published CRLs to relying parties: from node memory for <see cref="CrlOptions.NodeCacheTtl"/>, then
/// after asking the store only for the current number (a large CRL is read again only when it changed).
/// A slot never built yet (a new issuer or shard) is built on first request.
/// </summary>
public sealed class CrlReader
{
    private readonly ICrlStore _crls;
    private readonly CrlPublisher _publisher;
    private readonly RevocationOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string IssuerId, int? Shard, bool Delta), (PublishedCrl Crl, DateTimeOffset CheckedAt)> _memory = new();
    private readonly SemaphoreSlim _firstBuild = new(1, 1);

    public CrlReader(ICrlStore crls, CrlPublisher publisher, RevocationOptions options, TimeProvider time)
    {
        _crls = crls;
        _publisher = publisher;
        _options = options;
        _time = time;
    }

    /// <summary>The current CRL of a slot, or null for a shard that does not exist.</summary>
    public async Task<PublishedCrl?> GetAsync(IssuerContext issuer, int? shard, bool delta, CancellationToken cancellationToken)
    {
        var key = (issuer.Issuer.Id, shard, delta);
        var now = _time.GetUtcNow();
        if (_memory.TryGetValue(key, out var cached) && now - cached.CheckedAt < _options.Crl.NodeCacheTtl)
        {
            return cached.Crl;
        }

        var info = await _crls.GetInfoAsync(issuer.Issuer.Id, shard, delta, cancellationToken).ConfigureAwait(false);
        if (info is not null && cached.Crl is not null && cached.Crl.Info.Number == info.Number)
        {
            _memory[key] = (cached.Crl, now);
            return cached.Crl;
        }

        if (info is null)
        {
            if ((delta && !_options.Crl.DeltaEnabled) || (shard is { } n && n >= _options.Crl.Shards))
            {
                return null;
            }

            await BuildFirstAsync(issuer, shard, delta, cancellationToken).ConfigureAwait(false);
        }

        var crl = await _crls.GetAsync(issuer.Issuer.Id, shard, delta, cancellationToken).ConfigureAwait(false);
        if (crl is not null)
        {
            _memory[key] = (crl, now);
        }

        return crl;
    }

    private async Task BuildFirstAsync(IssuerContext issuer, int? shard, bool delta, CancellationToken cancellationToken)
    {
        // One build per node at a time: a burst of first requests must not sign the same CRL a hundred times.
        await _firstBuild.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await _crls.GetInfoAsync(issuer.Issuer.Id, shard, delta, cancellationToken).ConfigureAwait(false) is null)
            {
                await _publisher.PublishNowAsync(issuer, shard, delta, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _firstBuild.Release();
        }
    }
}
