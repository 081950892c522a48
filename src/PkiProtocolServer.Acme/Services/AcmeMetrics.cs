using System.Diagnostics.Metrics;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// The ACME front end's instruments, on the <see cref="System.Diagnostics.Metrics.Meter"/> named <see cref="MeterName"/>
/// (the host exports every meter at <c>/metrics</c>): records the janitor removed, rate-limit refusals, and nonces
/// the BadNonceRate test knob rejected.
/// </summary>
public sealed class AcmeMetrics : IDisposable
{
    public const string MeterName = "PkiProtocolServer.Acme";

    /// <summary>Exported as <c>pkiprotocolserver_acme_tidy_removed{kind}</c>.</summary>
    public const string TidyRemoved = "tidy.removed";

    /// <summary>Exported as <c>pkiprotocolserver_acme_rate_limited{limit}</c>.</summary>
    public const string RateLimitedRequests = "rate_limited";

    /// <summary>Exported as <c>pkiprotocolserver_acme_testing_bad_nonces</c>.</summary>
    public const string InjectedBadNonces = "testing.bad_nonces";

    private readonly Counter<long> _removed;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _injectedBadNonces;

    public AcmeMetrics()
    {
        Meter = new Meter(MeterName);
        _removed = Meter.CreateCounter<long>(TidyRemoved, "{record}", "ACME records removed by the janitor, by kind");
        _rateLimited = Meter.CreateCounter<long>(RateLimitedRequests, "{request}", "ACME requests refused as rateLimited, by limit");
        _injectedBadNonces = Meter.CreateCounter<long>(InjectedBadNonces, "{request}", "valid nonces rejected as badNonce by the Pki:Acme:Testing:BadNonceRate knob");
    }

    /// <summary>This instance's meter (tests listen to it alone).</summary>
    public Meter Meter { get; }

    public void Removed(string kind, int count)
    {
        if (count > 0)
        {
            _removed.Add(count, new KeyValuePair<string, object?>("kind", kind));
        }
    }

    public void RateLimited(string limit) => _rateLimited.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void InjectedBadNonce() => _injectedBadNonces.Add(1);

    public void Dispose() => Meter.Dispose();
}
