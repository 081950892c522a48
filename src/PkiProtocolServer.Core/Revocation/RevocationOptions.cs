namespace PkiProtocolServer.Core.Revocation;

/// <summary>Timing of CRLs, OCSP and tidy. The host binds it from <c>Pki:Revocation</c>; durations are <c>hh:mm:ss</c> or <c>d.hh:mm:ss</c>.</summary>
public sealed class RevocationOptions
{
    public const string Section = "Pki:Revocation";

    public CrlOptions Crl { get; set; } = new();

    public OcspOptions Ocsp { get; set; } = new();

    public TidyOptions Tidy { get; set; } = new();

    /// <summary>How often each node looks for background work (CRLs due, responders to rotate, responses to refresh, tidy).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the background-work lease lasts before another node may take it over from a holder that died.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Every setting that is out of range, as a sentence naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Positive(TimeSpan value, string key)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{Section}:{key} must be positive");
            }
        }

        Positive(PollInterval, "PollInterval");
        Positive(LeaseDuration, "LeaseDuration");
        Positive(Crl.Validity, "Crl:Validity");
        Positive(Crl.RebuildInterval, "Crl:RebuildInterval");
        Positive(Crl.DeltaValidity, "Crl:DeltaValidity");
        Positive(Crl.DeltaRebuildInterval, "Crl:DeltaRebuildInterval");
        Positive(Ocsp.Validity, "Ocsp:Validity");
        Positive(Ocsp.ResponderLifetime, "Ocsp:ResponderLifetime");
        Positive(Tidy.Interval, "Tidy:Interval");
        if (Crl.RebuildInterval >= Crl.Validity)
        {
            errors.Add($"{Section}:Crl:RebuildInterval ({Crl.RebuildInterval}) must be shorter than Crl:Validity ({Crl.Validity}), or CRLs would lapse before they are rebuilt");
        }

        if (Crl.DeltaRebuildInterval >= Crl.DeltaValidity)
        {
            errors.Add($"{Section}:Crl:DeltaRebuildInterval ({Crl.DeltaRebuildInterval}) must be shorter than Crl:DeltaValidity ({Crl.DeltaValidity})");
        }

        if (Crl.Shards is < 1 or > 4096)
        {
            errors.Add($"{Section}:Crl:Shards must be between 1 and 4096");
        }

        if (Ocsp.ResponderRotateBefore <= TimeSpan.Zero || Ocsp.ResponderRotateBefore >= Ocsp.ResponderLifetime)
        {
            errors.Add($"{Section}:Ocsp:ResponderRotateBefore must be positive and shorter than Ocsp:ResponderLifetime");
        }

        if (Ocsp.NodeCacheTtl < TimeSpan.Zero || Crl.NodeCacheTtl < TimeSpan.Zero || Crl.RevocationDebounce < TimeSpan.Zero || Crl.ExpiredEntryGrace < TimeSpan.Zero || Tidy.SafetyBuffer < TimeSpan.Zero)
        {
            errors.Add($"{Section}: node cache lifetimes, Crl:RevocationDebounce, Crl:ExpiredEntryGrace and Tidy:SafetyBuffer cannot be negative");
        }

        return errors;
    }
}

/// <summary>What a revocation triggers for CRLs (after <see cref="CrlOptions.RevocationDebounce"/>).</summary>
public enum CrlRebuildMode
{
    /// <summary>Rebuild the complete CRL (and an empty delta against it): every relying party sees the revocation.</summary>
    Full,

    /// <summary>Rebuild only the delta CRL; the complete CRL follows its schedule. For very large revoked sets.</summary>
    Delta,
}

public sealed class CrlOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>nextUpdate − thisUpdate of complete CRLs.</summary>
    public TimeSpan Validity { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A complete CRL is rebuilt when it is this old, changes or not.</summary>
    public TimeSpan RebuildInterval { get; set; } = TimeSpan.FromHours(1);

    public bool DeltaEnabled { get; set; } = true;

    /// <summary>nextUpdate − thisUpdate of delta CRLs.</summary>
    public TimeSpan DeltaValidity { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan DeltaRebuildInterval { get; set; } = TimeSpan.FromMinutes(15);

    public CrlRebuildMode RebuildOnRevocation { get; set; } = CrlRebuildMode.Full;

    /// <summary>How long after a revocation the rebuild starts, so a burst of revocations makes one CRL.</summary>
    public TimeSpan RevocationDebounce { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>An entry stays on CRLs this long after its certificate expired (RFC 5280 lets it go at expiry).</summary>
    public TimeSpan ExpiredEntryGrace { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Number of CRL shards. Above 1, each new certificate's CRL distribution point names the shard
    /// <c>{cdp without .crl}/{n}.crl</c> picked from its serial, and each shard CRL carries an Issuing
    /// Distribution Point naming it (as Let's Encrypt does).
    /// </summary>
    public int Shards { get; set; } = 1;

    /// <summary>Cap of the Cache-Control max-age on CRL responses: an HTTP cache may serve a CRL this much older than the newest.</summary>
    public TimeSpan HttpMaxAge { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a node serves a CRL from memory before asking the store whether a newer one exists.</summary>
    public TimeSpan NodeCacheTtl { get; set; } = TimeSpan.FromSeconds(2);
}

public sealed class OcspOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>nextUpdate − thisUpdate of OCSP responses; they are signed again at half this age.</summary>
    public TimeSpan Validity { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Cap of the Cache-Control max-age on OCSP responses (RFC 5019 6.2 allows anything up to nextUpdate).</summary>
    public TimeSpan HttpMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a node answers from memory before it looks at the shared cache again (bounds how late other nodes see a revocation).</summary>
    public TimeSpan NodeCacheTtl { get; set; } = TimeSpan.FromSeconds(2);

    public int NodeCacheMaxEntries { get; set; } = 100_000;

    /// <summary>Sign with a delegated responder certificate the server issues itself (true) or with the issuer's own key (false).</summary>
    public bool DelegatedResponder { get; set; } = true;

    public TimeSpan ResponderLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A new responder certificate is made when the current one has less than this left.</summary>
    public TimeSpan ResponderRotateBefore { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Echo a request's nonce (RFC 8954). A nonce makes a response single-use: it is signed for that request and not cached.</summary>
    public bool HonorNonce { get; set; } = true;

    /// <summary>How many cached responses one background pass signs again.</summary>
    public int RefreshBatchSize { get; set; } = 1000;
}

public sealed class TidyOptions
{
    /// <summary>Run tidy on a schedule (it can always be run on demand).</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Certificate records and revocations are removed this long after the certificate expired.</summary>
    public TimeSpan SafetyBuffer { get; set; } = TimeSpan.FromHours(72);
}
