using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>
/// The OCSP signing identity of each issuer. With delegated responders on (the default) the server issues
/// itself a short-lived responder certificate per issuer (id-kp-OCSPSigning, id-pkix-ocsp-nocheck; RFC 6960
/// 4.2.2.2) for a P-256 key in software custody, and rotates it before it expires: the issuer's key, which
/// may sit in an HSM, signs once per rotation instead of once per response.
/// </summary>
public sealed class OcspResponders
{
    public const string OcspSigningEku = "1.3.6.1.5.5.7.3.9";
    public const string OcspNoCheckOid = "1.3.6.1.5.5.7.48.1.5";
    public const string Actor = "system:ocsp";

    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(30);

    private readonly IOcspResponderStore _store;
    private readonly ICertificateStore _certificates;
    private readonly KeyCustodyRegistry _keys;
    private readonly IAuditLog _audit;
    private readonly RevocationOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (OcspSigningIdentity Identity, DateTimeOffset LoadedAt)> _current = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _issuing = new(1, 1);

    public OcspResponders(IOcspResponderStore store, ICertificateStore certificates, KeyCustodyRegistry keys, IAuditLog audit, RevocationOptions options, TimeProvider time)
    {
        _store = store;
        _certificates = certificates;
        _keys = keys;
        _audit = audit;
        _options = options;
        _time = time;
    }

    /// <summary>True for issuers that may answer OCSP here: they have a key and the ocsp-signing usage.</summary>
    public static bool SignsOcsp(IssuerContext issuer) => issuer.Key is not null && issuer.Issuer.Usage.HasFlag(IssuerUsage.OcspSigning);

    /// <summary>The identity that signs <paramref name="issuer"/>'s responses now; issues a responder first when it has none that is usable.</summary>
    public async Task<OcspSigningIdentity> IdentityAsync(IssuerContext issuer, CancellationToken cancellationToken)
    {
        if (!_options.Ocsp.DelegatedResponder)
        {
            return await IssuerIdentityAsync(issuer, cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        if (_current.TryGetValue(issuer.Issuer.Id, out var cached) && now - cached.LoadedAt < ReloadInterval && Usable(cached.Identity.NotAfter, now))
        {
            return cached.Identity;
        }

        var record = await _store.GetCurrentAsync(issuer.Issuer.Id, cancellationToken).ConfigureAwait(false);
        if (record is null || !Usable(record.NotAfter, now))
        {
            record = await IssueAsync(issuer, onlyIfDue: false, cancellationToken).ConfigureAwait(false);
        }

        var identity = await LoadAsync(record, cancellationToken).ConfigureAwait(false);
        _current[issuer.Issuer.Id] = (identity, now);
        return identity;
    }

    /// <summary>Issues a new responder for every OCSP-signing issuer whose current one is missing or within <see cref="OcspOptions.ResponderRotateBefore"/> of expiry.</summary>
    public async Task<IReadOnlyList<OcspResponderRecord>> RotateDueAsync(IssuerSnapshot snapshot, CancellationToken cancellationToken)
    {
        var issued = new List<OcspResponderRecord>();
        if (!_options.Ocsp.Enabled || !_options.Ocsp.DelegatedResponder)
        {
            return issued;
        }

        foreach (var issuer in snapshot.All.Where(SignsOcsp))
        {
            var before = await _store.GetCurrentAsync(issuer.Issuer.Id, cancellationToken).ConfigureAwait(false);
            var after = await IssueAsync(issuer, onlyIfDue: true, cancellationToken).ConfigureAwait(false);
            if (after.Id != before?.Id)
            {
                issued.Add(after);
            }
        }

        return issued;
    }

    // A responder close to its end would make responses that expire with it; past half the rotation window it is replaced on demand.
    private bool Usable(DateTimeOffset notAfter, DateTimeOffset now) => notAfter - now > _options.Ocsp.ResponderRotateBefore / 2;

    private async Task<OcspResponderRecord> IssueAsync(IssuerContext issuer, bool onlyIfDue, CancellationToken cancellationToken)
    {
        // One per node at a time; the store re-read inside keeps a second caller from issuing another.
        await _issuing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var current = await _store.GetCurrentAsync(issuer.Issuer.Id, cancellationToken).ConfigureAwait(false);
            var notAfter = Min(now + _options.Ocsp.ResponderLifetime, issuer.NotAfter);
            if (current is not null)
            {
                var due = current.NotAfter - now < _options.Ocsp.ResponderRotateBefore && current.NotAfter < notAfter;
                if (onlyIfDue ? !due : Usable(current.NotAfter, now) || current.NotAfter >= notAfter)
                {
                    return current;
                }
            }

            return await _audit.AuditedAsync(
                _time,
                Actor,
                "ocsp.responder_issue",
                () => CreateAsync(issuer, now, notAfter, cancellationToken),
                (record, e) => e with { Serial = SerialNumbers.ToHex(X509CertificateLoader.LoadCertificate(record.CertificateDer).SerialNumberBytes.Span), Detail = $"responder={record.Id} not_after={record.NotAfter:O}" },
                new AuditEvent { Time = default, Actor = Actor, Operation = string.Empty, Outcome = string.Empty, IssuerId = issuer.Issuer.Id },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _issuing.Release();
        }
    }

    private async Task<OcspResponderRecord> CreateAsync(IssuerContext issuer, DateTimeOffset now, DateTimeOffset notAfter, CancellationToken cancellationToken)
    {
        var responderKey = await _keys.GenerateAsync("software", KeySpec.EcP256, $"ocsp-responder-{issuer.Issuer.Name}", cancellationToken).ConfigureAwait(false);
        try
        {
            // ub-common-name is 64: the issuer's (unique) name fits where its full subject CN might not.
            var commonName = "OCSP Responder " + issuer.Issuer.Name;
            commonName = commonName.Length <= 64 ? commonName : commonName[..64];
            var subject = DistinguishedNames.Build(commonName);
            var ekus = new System.Security.Cryptography.OidCollection { new System.Security.Cryptography.Oid(OcspSigningEku) };
            var template = new CertificateTemplate
            {
                SerialNumber = SerialNumbers.New(),
                IssuerName = issuer.Certificate.SubjectName.RawData,
                Subject = subject,
                SubjectPublicKeyInfo = responderKey.SubjectPublicKeyInfo,
                NotBefore = now.AddMinutes(-1),
                NotAfter = notAfter,
                Extensions =
                [
                    new X509BasicConstraintsExtension(false, false, 0, critical: true),
                    new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true),
                    new X509EnhancedKeyUsageExtension(ekus, critical: false),
                    // RFC 6960 4.2.2.2.1: relying parties need not check the responder's own revocation (its life is short).
                    new X509Extension(OcspNoCheckOid, [0x05, 0x00], critical: false),
                    Extensions.SubjectKeyIdentifier(responderKey.SubjectPublicKeyInfo.Span),
                    Extensions.AuthorityKeyIdentifier(issuer.KeyIdentifier),
                ],
            };
            var issuerSigner = await _keys.OpenAsync(issuer.Key!.KeyReference, cancellationToken).ConfigureAwait(false);
            var der = await X509Signing.SignCertificateAsync(template, issuerSigner, issuer.SignatureAlgorithm!.Value, cancellationToken).ConfigureAwait(false);
            await _certificates.AddAsync(
                new IssuedCertificate
                {
                    Serial = SerialNumbers.ToHex(template.SerialNumber),
                    IssuerId = issuer.Issuer.Id,
                    CommonName = commonName,
                    NotBefore = template.NotBefore,
                    NotAfter = template.NotAfter,
                    CertificateDer = der,
                    IssuedAt = now,
                },
                cancellationToken).ConfigureAwait(false);
            var record = new OcspResponderRecord
            {
                Id = Guid.NewGuid().ToString("D"),
                IssuerId = issuer.Issuer.Id,
                KeyReference = responderKey.KeyReference,
                CertificateDer = der,
                NotBefore = template.NotBefore,
                NotAfter = template.NotAfter,
                CreatedAt = now,
            };
            await _store.AddAsync(record, cancellationToken).ConfigureAwait(false);
            return record;
        }
        catch
        {
            await _keys.DeleteAsync(responderKey.KeyReference, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<OcspSigningIdentity> LoadAsync(OcspResponderRecord record, CancellationToken cancellationToken)
    {
        var signer = await _keys.OpenAsync(record.KeyReference, cancellationToken).ConfigureAwait(false);
        return new OcspSigningIdentity
        {
            Signer = signer,
            Algorithm = signer.KeySpec.DefaultSignatureAlgorithm,
            ResponderKeyHash = Extensions.KeyIdentifier(signer.SubjectPublicKeyInfo.Span),
            CertificateDer = record.CertificateDer,
            NotAfter = record.NotAfter,
            ResponderId = record.Id,
        };
    }

    private async Task<OcspSigningIdentity> IssuerIdentityAsync(IssuerContext issuer, CancellationToken cancellationToken)
    {
        var signer = await _keys.OpenAsync(issuer.Key!.KeyReference, cancellationToken).ConfigureAwait(false);
        return new OcspSigningIdentity
        {
            Signer = signer,
            Algorithm = issuer.SignatureAlgorithm!.Value,
            ResponderKeyHash = Extensions.KeyIdentifier(issuer.SubjectPublicKeyInfo),
            NotAfter = issuer.NotAfter,
        };
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
