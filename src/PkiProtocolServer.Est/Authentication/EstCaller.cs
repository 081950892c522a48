using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Est.Labels;
using PkiProtocolServer.Est.Users;

namespace PkiProtocolServer.Est.Authentication;

/// <summary>Who an authenticated EST request comes from: a password user, a client certificate, or both.</summary>
public sealed record EstCaller
{
    public required EstLabel Label { get; init; }

    /// <summary>The HTTP Basic user, when a password authenticated.</summary>
    public EstUser? User { get; init; }

    /// <summary>The TLS client certificate, when one was presented and accepted on the label.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>True when <see cref="Certificate"/> was issued by this server (so it can be re-enrolled).</summary>
    public bool CertificateIsOurs { get; init; }

    /// <summary>For the audit log and pending enrollments: <c>est:{label}/user:{name}</c> or <c>est:{label}/cert:{subject}</c>.</summary>
    public string Actor => User is not null
        ? $"est:{Label.DisplayName}/user:{User.Name}"
        : Certificate is not null ? $"est:{Label.DisplayName}/cert:{Certificate.Subject} #{Certificate.SerialNumber.ToLowerInvariant()}" : $"est:{Label.DisplayName}/anonymous";
}
