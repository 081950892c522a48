namespace PkiProtocolServer.Acme.RateLimits;

/// <summary>
/// <c>Pki:Acme:RateLimits</c>: the limits every directory shares, counted in the store (so they hold across nodes).
/// The defaults suit a private CA: generous enough that no well-behaved client meets them, tight enough to stop a
/// runaway loop. A limit of 0 turns that limit off.
/// </summary>
public sealed class AcmeRateLimitOptions
{
    /// <summary>New orders per account (default 300 per 3 hours).</summary>
    public RateLimitRule NewOrdersPerAccount { get; set; } = new() { Limit = 300, Period = TimeSpan.FromHours(3) };

    /// <summary>
    /// Failed validations per account and identifier (default 5 per hour): counted when a challenge becomes invalid,
    /// checked at newOrder and when a challenge is answered. Per account as well as identifier, so that one account
    /// failing for a name cannot lock every other account out of it.
    /// </summary>
    public RateLimitRule FailedValidationsPerIdentifier { get; set; } = new() { Limit = 5, Period = TimeSpan.FromHours(1) };

    /// <summary>New accounts per client IP address (IPv6: per /64) (default 50 per 3 hours).</summary>
    public RateLimitRule NewAccountsPerIp { get; set; } = new() { Limit = 50, Period = TimeSpan.FromHours(3) };

    /// <summary>newNonce requests per client IP address (IPv6: per /64) (default 20 per second).</summary>
    public RateLimitRule NoncesPerIp { get; set; } = new() { Limit = 20, Period = TimeSpan.FromSeconds(1) };

    /// <summary>The four limits with their configuration names, for validation and start-up messages.</summary>
    public IEnumerable<(string Name, RateLimitRule Rule)> All() =>
    [
        (nameof(NewOrdersPerAccount), NewOrdersPerAccount),
        (nameof(FailedValidationsPerIdentifier), FailedValidationsPerIdentifier),
        (nameof(NewAccountsPerIp), NewAccountsPerIp),
        (nameof(NoncesPerIp), NoncesPerIp),
    ];

    /// <summary>Sentences about bad settings; empty when all are usable.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var (name, rule) in All())
        {
            foreach (var (limit, period, where) in new[] { (rule.Limit, rule.Period, name) }
                .Concat(rule.Overrides.Select((o, i) => (o.Limit, o.Period ?? rule.Period, $"{name}:Overrides:{i}"))))
            {
                if (limit < 0)
                {
                    yield return $"Pki:Acme:RateLimits:{where}:Limit cannot be negative (0 turns the limit off)";
                }

                if (limit > 0 && period <= TimeSpan.Zero)
                {
                    yield return $"Pki:Acme:RateLimits:{where}:Period must be positive";
                }
            }

            for (var i = 0; i < rule.Overrides.Count; i++)
            {
                var o = rule.Overrides[i];
                if (o.Account is null && o.Network is null && o.IdentifierSuffix is null)
                {
                    yield return $"Pki:Acme:RateLimits:{name}:Overrides:{i} names nothing to match (Account, Network or IdentifierSuffix)";
                }

                if (o.Network is not null && !System.Net.IPNetwork.TryParse(o.Network.Contains('/', StringComparison.Ordinal) ? o.Network : ClientNetwork.AsHostNetwork(o.Network), out _))
                {
                    yield return $"Pki:Acme:RateLimits:{name}:Overrides:{i}:Network '{o.Network}' is not an IP address or CIDR network";
                }
            }
        }
    }
}

/// <summary>One limit: at most <see cref="Limit"/> in each window of <see cref="Period"/>, unless an override matches.</summary>
public sealed class RateLimitRule
{
    /// <summary>Most requests per window; 0 = unlimited.</summary>
    public int Limit { get; set; }

    public TimeSpan Period { get; set; }

    /// <summary>Other limits for some accounts, networks or names; the first that matches applies.</summary>
    public List<RateLimitOverride> Overrides { get; set; } = [];
}

/// <summary>
/// A limit for some requests: those of an account, from a network, or about names under a suffix. Every property
/// set must match (a property the limit has no subject for never matches: <c>Network</c> on an account limit).
/// </summary>
public sealed class RateLimitOverride
{
    /// <summary>An account id (the last segment of the account URL).</summary>
    public string? Account { get; set; }

    /// <summary>An IP address or a CIDR network (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>).</summary>
    public string? Network { get; set; }

    /// <summary>A DNS suffix (<c>example.com</c> matches it and every name under it) or an IP address.</summary>
    public string? IdentifierSuffix { get; set; }

    /// <summary>The limit instead; 0 = unlimited.</summary>
    public int Limit { get; set; }

    /// <summary>The period instead; unset = the limit's own.</summary>
    public TimeSpan? Period { get; set; }
}
