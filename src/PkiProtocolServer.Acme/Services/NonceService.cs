using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Jws;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.Services;

/// <summary>Issues and redeems anti-replay nonces (RFC 8555 6.5): 128 random bits, base64url, single use, expiring.</summary>
public sealed class NonceService
{
    private readonly INonceStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly double _badNonceRate;
    private readonly AcmeMetrics _metrics;

    public NonceService(INonceStore store, TimeProvider time, IOptions<AcmeOptions> options, AcmeMetrics metrics)
    {
        _store = store;
        _time = time;
        _lifetime = options.Value.NonceLifetime;
        _badNonceRate = options.Value.Testing.BadNonceRate;
        _metrics = metrics;
    }

    public async Task<string> CreateAsync(CancellationToken cancellationToken)
    {
        var nonce = Base64UrlText.Encode(RandomNumberGenerator.GetBytes(16));
        await _store.AddAsync(nonce, _time.GetUtcNow() + _lifetime, cancellationToken).ConfigureAwait(false);
        return nonce;
    }

    /// <summary>
    /// True exactly once for a nonce this server issued and that has not expired (6.5.1: anything else is badNonce).
    /// With the BadNonceRate test knob, that fraction of good nonces is redeemed (so it cannot be replayed) and yet refused.
    /// </summary>
    public async Task<bool> TryRedeemAsync(string nonce, CancellationToken cancellationToken)
    {
        if (!Base64UrlText.TryDecode(nonce, out var bytes) || bytes.Length == 0
            || !await _store.TryRedeemAsync(nonce, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (_badNonceRate > 0 && Random.Shared.NextDouble() < _badNonceRate)
        {
            _metrics.InjectedBadNonce();
            return false;
        }

        return true;
    }
}
