using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// The ACME front end's stores in Redis, over the connection the core's Redis stores use:
/// <c>new RedisAcmeStores(RedisStores.Connect(options).Connection)</c>. Any number of nodes may share them: nonce
/// redemption is one SET NX; compare-and-set and EAB binding are each one Lua script. Key layout: <see cref="RedisAcmeKeys"/>.
/// </summary>
public sealed class RedisAcmeStores
{
    /// <summary>How long a record's key outlives its expiry before Redis drops it: past the janitor's grace (one day) and interval.</summary>
    public static readonly TimeSpan DefaultKeyRetention = TimeSpan.FromDays(2);

    /// <param name="connection">The shared connection (and key prefix).</param>
    /// <param name="keyRetention">
    /// Added to a record's expiry for its key TTL (PEXPIREAT), the backstop that drops records even when no janitor
    /// runs; the janitor purges them (and their indexes) sooner. Default <see cref="DefaultKeyRetention"/>.
    /// </param>
    public RedisAcmeStores(RedisConnection connection, TimeSpan? keyRetention = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var retention = keyRetention ?? DefaultKeyRetention;
        if (retention < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(keyRetention), "the key retention cannot be negative");
        }

        KeyRetention = retention;
        Accounts = new RedisAcmeAccountStore(connection);
        Orders = new RedisAcmeOrderStore(connection, retention);
        Authorizations = new RedisAcmeAuthorizationStore(connection, retention);
        Nonces = new RedisAcmeNonceStore(connection);
        Certificates = new RedisAcmeCertificateStore(connection, retention);
        ExternalAccountKeys = new RedisAcmeExternalAccountKeyStore(connection, retention);
        RenewalWindows = new RedisRenewalWindowStore(connection);
        Replacements = new RedisCertificateReplacementStore(connection, retention);
        RateLimits = new RedisAcmeRateLimitStore(connection);
    }

    public TimeSpan KeyRetention { get; }

    public IAccountStore Accounts { get; }

    public IOrderStore Orders { get; }

    public IAuthorizationStore Authorizations { get; }

    public INonceStore Nonces { get; }

    public IAcmeCertificateStore Certificates { get; }

    public IExternalAccountKeyStore ExternalAccountKeys { get; }

    /// <summary>Operator-set ARI windows (<see cref="RedisRenewalKeys"/>).</summary>
    public IRenewalWindowStore RenewalWindows { get; }

    /// <summary>RFC 9773 replacement claims (<see cref="RedisRenewalKeys"/>).</summary>
    public ICertificateReplacementStore Replacements { get; }
    public IRateLimitStore RateLimits { get; }

    /// <summary>The key's PEXPIREAT: the record's expiry plus the retention, in unix ms (capped, so far futures stay valid).</summary>
    internal static long KeyExpiry(DateTimeOffset expires, TimeSpan retention) =>
        expires > DateTimeOffset.MaxValue - retention ? DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() : (expires + retention).ToUnixTimeMilliseconds();
}
