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

    public NonceService(INonceStore store, TimeProvider time, IOptions<AcmeOptions> options)
    {
        _store = store;
        _time = time;
        _lifetime = options.Value.NonceLifetime;
    }

    public async Task<string> CreateAsync(CancellationToken cancellationToken)
    {
        var nonce = Base64UrlText.Encode(RandomNumberGenerator.GetBytes(16));
        await _store.AddAsync(nonce, _time.GetUtcNow() + _lifetime, cancellationToken).ConfigureAwait(false);
        return nonce;
    }

    /// <summary>True exactly once for a nonce this server issued and that has not expired (6.5.1: anything else is badNonce).</summary>
    public Task<bool> TryRedeemAsync(string nonce, CancellationToken cancellationToken) =>
        !Base64UrlText.TryDecode(nonce, out var bytes) || bytes.Length == 0
            ? Task.FromResult(false)
            : _store.TryRedeemAsync(nonce, _time.GetUtcNow(), cancellationToken);
}
