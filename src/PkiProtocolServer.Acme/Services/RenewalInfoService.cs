using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Revocation;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// ACME Renewal Information (RFC 9773 4): finds the certificate a certID names among those issued through ACME and
/// suggests its renewal window. A revoked certificate is told to renew now; otherwise the operator's window for the
/// certificate, else for its role, else for its issuer, else the default: from 2/3 to 5/6 of its validity, leaving
/// the last sixth for retries.
/// </summary>
public sealed class RenewalInfoService
{
    private readonly IAcmeCertificateStore _certificates;
    private readonly IRenewalWindowStore _windows;
    private readonly IRevocationStore _revocations;
    private readonly AcmeDirectories _directories;

    public RenewalInfoService(IAcmeCertificateStore certificates, IRenewalWindowStore windows, IRevocationStore revocations, AcmeDirectories directories)
    {
        _certificates = certificates;
        _windows = windows;
        _revocations = revocations;
        _directories = directories;
    }

    /// <summary>
    /// The ACME certificate a certID names, or null. Found by serial, then the leaf's own Authority Key Identifier must
    /// equal the certID's: with several issuers, a serial alone does not say which issuer's certificate is meant.
    /// </summary>
    public async Task<IssuedAcmeCertificate?> FindAsync(AriCertificateId id, CancellationToken cancellationToken)
    {
        var record = await _certificates.FindBySerialAsync(id.SerialHex, cancellationToken).ConfigureAwait(false);
        if (record is null || record.Chains.Count == 0)
        {
            return null;
        }

        var leaf = X509Certificate2.CreateFromPem(record.Chains[0]);
        if (!id.Names(leaf))
        {
            leaf.Dispose();
            return null;
        }

        return new IssuedAcmeCertificate(record, leaf);
    }

    /// <summary>The suggested window for a certID (RFC 9773 4.2); malformed IDs are 400, unknown certificates 404.</summary>
    public async Task<RenewalSuggestion> SuggestAsync(string certId, CancellationToken cancellationToken)
    {
        var id = AriCertificateId.Parse(certId);
        using var found = await FindAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw AcmeException.NotFound("no certificate issued through this server's ACME has that certID");
        var record = found.Record;

        // RFC 9773 4.2: a window in the past asks for renewal now; a revoked certificate must be replaced at once.
        if (await _revocations.GetAsync(record.Serial, cancellationToken).ConfigureAwait(false) is { } revoked && revoked.IssuerId == record.IssuerId)
        {
            return new RenewalSuggestion(revoked.RevokedAt - TimeSpan.FromHours(1), revoked.RevokedAt, null);
        }

        var role = record.Role ?? _directories.Find(record.Directory)?.Role;
        var window = await _windows.GetAsync(RenewalWindowScope.Certificate, record.Serial, cancellationToken).ConfigureAwait(false)
            ?? await BroadWindowAsync(RenewalWindowScope.Role, role, record, cancellationToken).ConfigureAwait(false)
            ?? await BroadWindowAsync(RenewalWindowScope.Issuer, record.IssuerId, record, cancellationToken).ConfigureAwait(false);
        return window is not null
            ? new RenewalSuggestion(window.Start, window.End, window.ExplanationUrl)
            : Default(found.NotBefore, found.NotAfter);
    }

    /// <summary>From 2/3 to 5/6 of the validity: certbot and lego renew at 2/3 by default, and the last sixth is left for retries.</summary>
    public static RenewalSuggestion Default(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var validity = notAfter - notBefore;
        return new RenewalSuggestion(WholeSeconds(notBefore + validity * 2 / 3), WholeSeconds(notBefore + validity * 5 / 6), null);
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset instant) => instant.AddTicks(-(instant.Ticks % TimeSpan.TicksPerSecond));

    /// <summary>
    /// A role's or issuer's window applies only to certificates issued before it was set: their replacements, issued
    /// after, must not be sent back to renew again (a mass renewal would otherwise never end).
    /// </summary>
    private async Task<RenewalWindow?> BroadWindowAsync(RenewalWindowScope scope, string? target, AcmeCertificate record, CancellationToken cancellationToken)
    {
        if (target is null)
        {
            return null;
        }

        var window = await _windows.GetAsync(scope, target, cancellationToken).ConfigureAwait(false);
        return window is not null && record.CreatedAt < window.SetAt ? window : null;
    }
}

/// <summary>A suggested renewal window (RFC 9773 4.2) and the page that explains it.</summary>
public sealed record RenewalSuggestion(DateTimeOffset Start, DateTimeOffset End, string? ExplanationUrl);

/// <summary>An ACME certificate record with its parsed leaf (dispose to release it).</summary>
public sealed class IssuedAcmeCertificate(AcmeCertificate record, X509Certificate2 leaf) : IDisposable
{
    public AcmeCertificate Record { get; } = record;

    public X509Certificate2 Leaf { get; } = leaf;

    public DateTimeOffset NotBefore => Leaf.NotBefore.ToUniversalTime();

    public DateTimeOffset NotAfter => Leaf.NotAfter.ToUniversalTime();

    public void Dispose() => Leaf.Dispose();
}
