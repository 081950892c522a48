namespace PkiProtocolServer.Est.Configuration;

/// <summary>How a label authenticates enrollment requests (RFC 7030 3.3.2 and 3.2.3).</summary>
public enum EstAuthenticationMode
{
    /// <summary>HTTP Basic (user and password) only.</summary>
    Password,

    /// <summary>A TLS client certificate chained to the label's trust anchors or to this server's issuers only.</summary>
    Certificate,

    /// <summary>Either an acceptable TLS client certificate or HTTP Basic.</summary>
    PasswordOrCertificate,

    /// <summary>Both an acceptable TLS client certificate and HTTP Basic.</summary>
    PasswordAndCertificate,
}
