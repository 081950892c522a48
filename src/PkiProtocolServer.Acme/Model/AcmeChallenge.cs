using PkiProtocolServer.Acme.Errors;

namespace PkiProtocolServer.Acme.Model;

/// <summary>One challenge of an authorization (RFC 8555 7.1.5, 8). Its state changes only through <see cref="AcmeAuthorization"/>.</summary>
public sealed record AcmeChallenge
{
    public const string Http01 = "http-01";
    public const string Dns01 = "dns-01";
    public const string TlsAlpn01 = "tls-alpn-01";

    /// <summary>draft-ietf-acme-dns-account-label: dns-01 at a name carrying a label derived from the account URL.</summary>
    public const string DnsAccount01 = "dns-account-01";

    public required string Id { get; init; }

    /// <summary><c>http-01</c>, <c>dns-01</c>, <c>tls-alpn-01</c> or <c>dns-account-01</c>.</summary>
    public required string Type { get; init; }

    /// <summary>128 random bits, base64url (RFC 8555 8.3: at least 128 bits of entropy).</summary>
    public required string Token { get; init; }

    public ChallengeStatus Status { get; init; } = ChallengeStatus.Pending;

    public DateTimeOffset? Validated { get; init; }

    public AcmeProblem? Error { get; init; }

    /// <summary>Validation attempts made so far.</summary>
    public int Attempts { get; init; }

    /// <summary>
    /// While processing: when the next attempt is due, or, while an attempt runs, when its lease ends (a node
    /// that dies mid-attempt leaves the challenge due again for any node).
    /// </summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}
