using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Est.Labels;

namespace PkiProtocolServer.Est.Authentication;

/// <summary>
/// Decides whether a TLS client certificate authenticates on a label (RFC 7030 3.3.2): it must be valid now, allow
/// client authentication, and chain either to this server's own issuers (an enrolled device re-enrolling, RFC 7030 4.2.2)
/// or to one of the label's configured trust anchors (a manufacturer's CA, for the first enrollment).
/// </summary>
/// <remarks>
/// Kestrel accepts any client certificate during the handshake (TLS cannot know the label yet); the decision is made
/// here, per label, with chains built against exactly that label's anchors. Revocation is not checked yet: the server
/// has no CRL of its own, and manufacturer CAs are trusted as configured.
/// </remarks>
public sealed partial class ClientCertificateValidator
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private readonly IssuerCatalog _issuers;
    private readonly TimeProvider _time;
    private readonly ILogger<ClientCertificateValidator> _logger;

    public ClientCertificateValidator(IssuerCatalog issuers, TimeProvider time, ILogger<ClientCertificateValidator> logger)
    {
        _issuers = issuers;
        _time = time;
        _logger = logger;
    }

    public async Task<ClientCertificateResult> ValidateAsync(EstLabel label, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime || certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            return Reject(label, certificate, "outside its validity period");
        }

        // Ours: signed by an issuer this server holds. Checked by the signature itself rather than by a chain to a root,
        // so it also holds for an intermediate imported without its (offline) root, and costs one verification.
        var snapshot = await _issuers.GetAsync(cancellationToken).ConfigureAwait(false);
        if (OwnCertificates.FindIssuer(snapshot, certificate) is { } issuer)
        {
            return AllowsClientAuth(certificate)
                ? new ClientCertificateResult(true, true, [certificate, .. issuer.Chain.Select(c => c.Certificate)], null)
                : Reject(label, certificate, "issued by this server, but its extendedKeyUsage leaves out clientAuth");
        }

        if (label.TrustAnchors.Count > 0 && Chains(certificate, label.TrustAnchors, label.Intermediates, now, out var anchorChain))
        {
            return new ClientCertificateResult(true, false, anchorChain, null);
        }

        return Reject(label, certificate, "not chained to this server's issuers or to the label's trust anchors, or not for client authentication");
    }

    private ClientCertificateResult Reject(EstLabel label, X509Certificate2 certificate, string reason)
    {
        // The device is told only that its certificate is not acceptable; the reason goes to the server log.
        LogRejected(_logger, certificate.Subject, certificate.SerialNumber, label.DisplayName, reason);
        return new ClientCertificateResult(false, false, [], reason);
    }

    private static bool Chains(X509Certificate2 certificate, X509Certificate2Collection roots, X509Certificate2Collection intermediates, DateTimeOffset now, out IReadOnlyList<X509Certificate2> elements)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(roots);
        policy.ExtraStore.AddRange(intermediates);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        // A certificate whose extendedKeyUsage leaves out clientAuth may not authenticate a TLS client (RFC 5280 4.2.1.12);
        // one without the extension passes, as many manufacturer (IEEE 802.1AR IDevID) certificates have none.
        policy.ApplicationPolicy.Add(new Oid(ClientAuthOid));
        try
        {
            if (chain.Build(certificate))
            {
                elements = chain.ChainElements.Select(e => e.Certificate).ToList();
                return true;
            }
        }
        catch (CryptographicException)
        {
            // An unreadable certificate is simply not acceptable.
        }

        elements = [];
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "EST label {Label}: TLS client certificate '{Subject}' (serial {Serial}) refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, string subject, string serial, string label, string reason);

    private static bool AllowsClientAuth(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is not { } eku
        || eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ClientAuthOid);
}

/// <summary>The outcome of checking a client certificate on a label.</summary>
/// <param name="Accepted">It authenticates on the label.</param>
/// <param name="IssuedByUs">It chains to this server's issuers (so it can be re-enrolled).</param>
/// <param name="Chain">The chain from the certificate to its anchor, when accepted.</param>
/// <param name="Reason">Why not, for the log; never sent to the device.</param>
public sealed record ClientCertificateResult(bool Accepted, bool IssuedByUs, IReadOnlyList<X509Certificate2> Chain, string? Reason);
