using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Est.Errors;
using PkiProtocolServer.Est.Labels;
using PkiProtocolServer.Est.Users;

namespace PkiProtocolServer.Est.Authentication;

/// <summary>
/// Applies a label's authentication rule to a request (RFC 7030 3.2.3, 3.3.2): HTTP Basic, the TLS client certificate,
/// either, or both. A wrong or missing password answers 401 with a Basic challenge and the same words whatever was
/// wrong; a certificate the label requires but does not accept answers 403.
/// </summary>
public sealed class EstAuthenticator
{
    private static readonly TimeSpan CertificateCacheLifetime = TimeSpan.FromMinutes(1);

    private readonly EstPasswordAuthenticator _passwords;
    private readonly ClientCertificateValidator _certificates;
    private readonly TimeProvider _time;

    public EstAuthenticator(EstPasswordAuthenticator passwords, ClientCertificateValidator certificates, TimeProvider time)
    {
        _passwords = passwords;
        _certificates = certificates;
        _time = time;
    }

    public async Task<EstCaller> AuthenticateAsync(HttpContext context, EstLabel label, CancellationToken cancellationToken)
    {
        EstUser? user = null;
        var presented = BasicCredentials.Parse(context.Request.Headers.Authorization, out var malformed);
        if (label.AcceptsPassword && (presented is not null || malformed))
        {
            // Credentials that were sent must be right, even where a certificate alone would have done.
            user = presented is null ? null : await _passwords.AuthenticateAsync(label, presented.User, presented.Password, cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                throw Unauthorized(label);
            }
        }

        var certificate = label.AcceptsCertificate ? await CheckCertificateAsync(context, label, cancellationToken).ConfigureAwait(false) : null;
        var caller = new EstCaller
        {
            Label = label,
            User = user,
            Certificate = certificate is { Accepted: true } ? context.Connection.ClientCertificate : null,
            CertificateIsOurs = certificate is { Accepted: true, IssuedByUs: true },
        };

        if (label.RequiresPassword && user is null)
        {
            throw Unauthorized(label);
        }

        if (label.RequiresCertificate && caller.Certificate is null)
        {
            throw EstException.Forbidden($"EST label {label.DisplayName} requires a TLS client certificate issued by this server or chained to the label's trust anchors, valid now and allowing client authentication");
        }

        if (user is null && caller.Certificate is null)
        {
            throw Unauthorized(label);
        }

        return caller;
    }

    private static EstException Unauthorized(EstLabel label) => EstException.Unauthorized("EST " + label.DisplayName);

    /// <summary>The label's verdict on the connection's client certificate, worked out once per connection and label.</summary>
    private async Task<ClientCertificateResult?> CheckCertificateAsync(HttpContext context, EstLabel label, CancellationToken cancellationToken)
    {
        var certificate = context.Connection.ClientCertificate ?? await context.Connection.GetClientCertificateAsync(cancellationToken).ConfigureAwait(false);
        if (certificate is null)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        var key = (typeof(EstAuthenticator), label.Name);
        if (items?.TryGetValue(key, out var cached) == true && cached is CachedVerdict verdict
            && ReferenceEquals(verdict.Certificate, certificate) && now - verdict.At < CertificateCacheLifetime && certificate.NotAfter.ToUniversalTime() > now.UtcDateTime)
        {
            return verdict.Result;
        }

        var result = await _certificates.ValidateAsync(label, certificate, cancellationToken).ConfigureAwait(false);
        if (items is not null)
        {
            // A keep-alive connection (a device re-enrolling, the load generator) pays for chain building once a minute.
            items[key] = new CachedVerdict(certificate, result, now);
        }

        return result;
    }

    private sealed record CachedVerdict(System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate, ClientCertificateResult Result, DateTimeOffset At);
}
