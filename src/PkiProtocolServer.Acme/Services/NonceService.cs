using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Jws;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// Issues and redeems anti-replay nonces (RFC 8555 6.5). A nonce is self-contained: its expiry (8 bytes, unix ms),
/// 16 random bytes and a MAC over both (HMAC-SHA256 truncated to 16 bytes, under the key every node shares through
/// the store), base64url. Issuing one therefore costs no store access at all; redeeming one checks MAC and expiry
/// here (a forged or expired nonce is refused without touching the store) and then records its use in one atomic
/// store operation, which answers whether it was used before: single use across every node sharing the store.
/// </summary>
public sealed class NonceService
{
    private const int ExpiryLength = 8;
    private const int RandomLength = 16;
    private const int MacLength = 16;
    private const int SignedLength = ExpiryLength + RandomLength;
    private const int NonceLength = SignedLength + MacLength;

    /// <summary>
    /// How long a used-nonce record outlives the nonce: nodes' clocks (and Redis's, which expires the record) differ a
    /// little, and a node whose clock lags must not find the record gone while it still takes the nonce as live.
    /// </summary>
    private static readonly TimeSpan UsedRecordMargin = TimeSpan.FromMinutes(1);

    private readonly INonceStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly double _badNonceRate;
    private readonly AcmeMetrics _metrics;
    private readonly SemaphoreSlim _keyLoad = new(1, 1);
    private volatile byte[]? _key;
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
        var key = _key ?? await LoadKeyAsync(cancellationToken).ConfigureAwait(false);
        return Issue(key, _time.GetUtcNow() + _lifetime);
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
        if (!Base64UrlText.TryDecode(nonce, out var bytes) || bytes.Length != NonceLength)
        {
            return false;
        }

        var expires = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(BinaryPrimitives.ReadInt64BigEndian(bytes), 0, DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()));
        if (expires <= _time.GetUtcNow())
        {
            return false;
        }

        var key = _key ?? await LoadKeyAsync(cancellationToken).ConfigureAwait(false);
        if (!IsAuthentic(key, bytes)
            || !await _store.TryRecordUseAsync(nonce, expires + UsedRecordMargin, cancellationToken).ConfigureAwait(false))
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

    private static string Issue(byte[] key, DateTimeOffset expires)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        BinaryPrimitives.WriteInt64BigEndian(nonce, expires.ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(nonce.Slice(ExpiryLength, RandomLength));
        Mac(key, nonce[..SignedLength], nonce[SignedLength..]);
        return Base64UrlText.Encode(nonce);
    }

    private static bool IsAuthentic(byte[] key, byte[] nonce)
    {
        Span<byte> mac = stackalloc byte[MacLength];
        Mac(key, nonce.AsSpan(0, SignedLength), mac);
        return CryptographicOperations.FixedTimeEquals(mac, nonce.AsSpan(SignedLength));
    }

    private static void Mac(byte[] key, ReadOnlySpan<byte> signed, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, signed, full);
        full[..MacLength].CopyTo(destination);
    }

    /// <summary>The shared key, read from the store once per process; a failed read is retried by the next caller.</summary>
    private async Task<byte[]> LoadKeyAsync(CancellationToken cancellationToken)
    {
        await _keyLoad.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _key ??= await _store.GetOrCreateKeyAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _keyLoad.Release();
        }
    }

    private bool RefuseNext()
    {
        var n = Interlocked.Increment(ref _redeemed);
        return Math.Floor(n * _badNonceRate) > Math.Floor((n - 1) * _badNonceRate);
    }
}
