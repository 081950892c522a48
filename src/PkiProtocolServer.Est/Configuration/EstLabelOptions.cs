namespace PkiProtocolServer.Est.Configuration;

/// <summary>
/// One EST label (<c>Pki:Est:Labels:{label}:*</c>) or the default label (<c>Pki:Est:Default:*</c>): which role and issuer
/// it enrolls under and how it authenticates.
/// </summary>
public sealed class EstLabelOptions
{
    /// <summary>The role every request on this label is checked against. Required for a named label.</summary>
    public string? Role { get; set; }

    /// <summary>Issuer id or name to use instead of the role's <c>issuer_ref</c>; unset = the role's issuer.</summary>
    public string? Issuer { get; set; }

    /// <summary>How enrollment requests authenticate; default: a certificate or a password.</summary>
    public EstAuthenticationMode Authentication { get; set; } = EstAuthenticationMode.PasswordOrCertificate;

    /// <summary>
    /// PEM files of CA certificates whose (end-entity) certificates may authenticate here, e.g. a device manufacturer's
    /// CA. Certificates issued by this server are accepted too, whatever this list says.
    /// </summary>
    public List<string> TrustAnchors { get; set; } = [];

    /// <summary>Hold every enrollment until an operator approves it (202 + Retry-After meanwhile, RFC 7030 4.2.3).</summary>
    public bool ManualApproval { get; set; }

    /// <summary>Seconds a device is told to wait (Retry-After) while its request is pending.</summary>
    public int RetryAfterSeconds { get; set; } = 60;

    /// <summary>
    /// Require the CSR to prove it was made inside this TLS session (RFC 7030 3.5): its challengePassword must hold the
    /// base64 tls-unique value (TLS 1.2) or the RFC 9266 tls-exporter value (TLS 1.3).
    /// </summary>
    public bool RequireChannelBinding { get; set; }

    /// <summary>Whether <c>/serverkeygen</c> is offered on this label.</summary>
    public bool ServerKeyGeneration { get; set; } = true;

    /// <summary>Which form <c>/csrattrs</c> answers in.</summary>
    public EstCsrAttributesForm CsrAttributes { get; set; } = EstCsrAttributesForm.Rfc7030;
}
