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
    private long _redeemed;

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
    /// With the BadNonceRate test knob, that fraction of good nonces is redeemed (so it cannot be replayed) and yet
    /// refused: spread evenly (the n-th good nonce is refused when n * rate passes a whole number), not drawn at random,
    /// so that at a rate up to 0.5 no two good nonces in a row are refused and a client that retries once, as certbot
    /// does, always gets through.
    /// </summary>
    public async Task<bool> TryRedeemAsync(string nonce, CancellationToken cancellationToken)
    {
        if (!Base64UrlText.TryDecode(nonce, out var bytes) || bytes.Length == 0
            || !await _store.TryRedeemAsync(nonce, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (_badNonceRate > 0 && RefuseNext())
        {
            _metrics.InjectedBadNonce();
            return false;
        }

        return true;
    }

    private bool RefuseNext()
    {
        var n = Interlocked.Increment(ref _redeemed);
        return Math.Floor(n * _badNonceRate) > Math.Floor((n - 1) * _badNonceRate);
    }
}
