using System.Net.Security;

namespace PkiProtocolServer.Est;

/// <summary>What the EST front end needs from the HTTPS listener's TLS handshake.</summary>
public static class EstTls
{
    /// <summary>
    /// Asks every client for a certificate without requiring one, and accepts whatever is sent at the TLS layer. The
    /// handshake cannot know which EST label (and so which trust anchors) a request will address, so the certificate is
    /// judged per request by <c>ClientCertificateValidator</c>; clients without a certificate (browsers, ACME clients,
    /// the admin API) connect as before.
    /// </summary>
    public static SslServerAuthenticationOptions RequestClientCertificate(this SslServerAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ClientCertificateRequired = true;
        options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        return options;
    }
}
