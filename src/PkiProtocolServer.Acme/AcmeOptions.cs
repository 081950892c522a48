using System.ComponentModel.DataAnnotations;
using PkiProtocolServer.Acme.RateLimits;
using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Acme.Testing;

namespace PkiProtocolServer.Acme;

/// <summary>
/// The <c>Pki:Acme</c> configuration section. Ports and resolvers are the stable keys of DESIGN.md; lifetimes
/// and retry settings have defaults a public-CA-like deployment can keep.
/// </summary>
public sealed class AcmeOptions
{
    public const string Section = "Pki:Acme";

    /// <summary>Serve ACME at all (<c>/acme/...</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Port the validator connects to for http-01 (RFC 8555 8.3 says 80; tests and conformance runs move it).</summary>
    [Range(1, 65535)]
    public int HttpChallengePort { get; set; } = 80;

    /// <summary>Port the validator connects to for tls-alpn-01 (RFC 8737 says 443).</summary>
    [Range(1, 65535)]
    public int TlsAlpnChallengePort { get; set; } = 443;

    /// <summary>
    /// <c>host:port</c> (or <c>host</c> for port 53) DNS servers used for dns-01 TXT lookups and to resolve names
    /// before http-01 and tls-alpn-01 connections; empty = the system's resolver.
    /// </summary>
    public List<string> DnsResolvers { get; set; } = [];

    /// <summary>How long an unused nonce stays redeemable.</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a new order may take to become valid.</summary>
    public TimeSpan OrderLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a pending authorization waits for its challenge to be answered.</summary>
    public TimeSpan PendingAuthorizationLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a valid authorization is reused for new orders of the same account.</summary>
    public TimeSpan ValidAuthorizationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Retry-After (seconds) on a processing challenge, a pending authorization and a processing order.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Time limit of one validation attempt (connection, TLS handshake, DNS lookup and reading included).</summary>
    public TimeSpan ValidationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per challenge before it is invalid (a failed attempt is retried after <see cref="ValidationRetryDelay"/>).</summary>
    [Range(1, 10)]
    public int ValidationAttempts { get; set; } = 3;

    /// <summary>Wait between two attempts of one challenge.</summary>
    public TimeSpan ValidationRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Validations run at the same time on this node.</summary>
    [Range(1, 256)]
    public int ValidationConcurrency { get; set; } = 16;

    /// <summary>Largest JWS request body accepted (RFC 8555 leaves the limit to the server).</summary>
    [Range(1024, 1048576)]
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>Most identifiers in one order.</summary>
    [Range(1, 1000)]
    public int MaxIdentifiersPerOrder { get; set; } = 100;

    /// <summary>
    /// Offer dns-account-01 (draft-ietf-acme-dns-account-label) on DNS identifiers, wildcards included, next to the
    /// RFC 8555 challenges. Off by default: the draft may still change.
    /// </summary>
    public bool DnsAccount01Enabled { get; set; }

    /// <summary>
    /// At finalize, CAA is looked up again for every identifier whose last CAA check is older than this (Let's
    /// Encrypt's 8 hours by default); only for directories with <c>CaaIdentities</c>.
    /// </summary>
    public TimeSpan CaaRecheckAfter { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// The ACME directories by name. <c>default</c> is served at <c>/acme/directory</c> and always exists (with the
    /// role <c>acme-default</c> unless configured); any other name at <c>/acme/{name}/directory</c>.
    /// </summary>
    public Dictionary<string, AcmeDirectoryOptions> Directories { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Retry-After of a renewalInfo answer (RFC 9773 4.3): how long clients wait before asking again.</summary>
    public TimeSpan RenewalInfoRetryAfter { get; set; } = TimeSpan.FromHours(6);

    /// <summary><c>Pki:Acme:RateLimits</c>: limits counted in the store, shared by all nodes.</summary>
    public AcmeRateLimitOptions RateLimits { get; set; } = new();

    /// <summary><c>Pki:Acme:Tidy</c>: the janitor's schedule and the retention of deactivated accounts.</summary>
    public AcmeTidyOptions Tidy { get; set; } = new();

    /// <summary><c>Pki:Acme:Testing</c>: knobs for testing clients; all off by default.</summary>
    public AcmeTestingOptions Testing { get; set; } = new();
}

/// <summary>One ACME directory: the role and issuer its certificates come from, and its account rules.</summary>
public sealed class AcmeDirectoryOptions
{
    /// <summary>Role of the core that every order of this directory is checked and issued under.</summary>
    public string Role { get; set; } = AcmeDirectory.DefaultRoleName;

    /// <summary>Issuer id or name; unset = the role's <c>issuer_ref</c>.</summary>
    public string? Issuer { get; set; }

    /// <summary>Require External Account Binding on newAccount (RFC 8555 7.3.4).</summary>
    public bool ExternalAccountRequired { get; set; }

    /// <summary>URL of the terms of service; when set, newAccount must agree to them.</summary>
    public string? TermsOfService { get; set; }

    public string? Website { get; set; }

    /// <summary>
    /// Issuer domain names of this CA (RFC 8659 4.2), served as <c>meta.caaIdentities</c>; CAA <c>issue</c> and
    /// <c>issuewild</c> properties naming one of them let this directory issue. Empty: CAA is not checked.
    /// </summary>
    public List<string> CaaIdentities { get; set; } = [];

    /// <summary>Certificate profiles clients may ask for in newOrder (draft-ietf-acme-profiles), by name.</summary>
    public Dictionary<string, AcmeProfileOptions> Profiles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The profile of an order that names none; unset = the directory's own <see cref="Role"/> and <see cref="Issuer"/>.</summary>
    public string? DefaultProfile { get; set; }
}
