using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Revocation.Ocsp;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Revocation;

/// <summary>
/// Revokes certificates: by serial (a stored certificate), by the certificate itself (bring your own
/// certificate, which is how no_store certificates are revoked, and the ACME path), or by the certificate
/// with proof of its key. The revocation is durable and audited before it is acknowledged; then this node
/// forgets its OCSP answers about the serial, the shared cache drops them, and CRLs are rebuilt after the
/// debounce delay.
/// </summary>
public sealed class RevocationService : ICertificateRevoker
{
    private readonly ICertificateStore _certificates;
    private readonly IRevocationStore _revocations;
    private readonly IOcspResponseCache _ocspCache;
    private readonly OcspNodeCache _ocspMemory;
    private readonly IssuerCatalog _catalog;
    private readonly RevocationSignal _signal;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;

    public RevocationService(ICertificateStore certificates, IRevocationStore revocations, IOcspResponseCache ocspCache, OcspNodeCache ocspMemory, IssuerCatalog catalog, RevocationSignal signal, IAuditLog audit, TimeProvider time)
    {
        _certificates = certificates;
        _revocations = revocations;
        _ocspCache = ocspCache;
        _ocspMemory = ocspMemory;
        _catalog = catalog;
        _signal = signal;
        _audit = audit;
        _time = time;
    }

    /// <summary>Revokes a certificate recorded here. NotFound when no certificate with that serial was stored (a no_store one is revoked by giving the certificate).</summary>
    public Task<RevocationEntry> RevokeSerialAsync(string serial, RevocationReason reason, DateTimeOffset? invalidityDate, string actor, CancellationToken cancellationToken) =>
        AuditedAsync(actor, serial, reason, "serial", async () =>
        {
            var normalized = SerialNumbers.Normalize(serial) ?? throw PkiException.Malformed($"serial_number '{serial}' is not a hexadecimal serial number");
            var stored = await _certificates.GetAsync(normalized, cancellationToken).ConfigureAwait(false)
                ?? throw PkiException.NotFound($"no certificate with serial {normalized} is recorded here; a certificate issued with no_store is revoked by giving the certificate itself");
            var certificate = X509CertificateLoader.LoadCertificate(stored.CertificateDer);
            return await RecordAsync(stored.IssuerId, normalized, certificate, reason, invalidityDate, keepCertificate: null, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// Revokes a certificate given in full (bring your own certificate). It must be signed by one of our issuers
    /// (by <paramref name="issuerRef"/> when given); it need not be recorded here.
    /// </summary>
    public Task<RevocationEntry> RevokeCertificateAsync(byte[] certificateDer, string? issuerRef, RevocationReason reason, DateTimeOffset? invalidityDate, string actor, CancellationToken cancellationToken) =>
        AuditedAsync(actor, null, reason, issuerRef is null ? "certificate" : "certificate issuer=" + issuerRef, () => RevokeGivenAsync(certificateDer, issuerRef, reason, invalidityDate, null, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<RevocationEntry> RevokeCertificateAsync(byte[] certificateDer, RevocationReason reason, string actor, CancellationToken cancellationToken) =>
        RevokeCertificateAsync(certificateDer, null, reason, null, actor, cancellationToken);

    /// <summary>Revokes a certificate whose private key the caller proves to hold (Vault's revoke-with-key).</summary>
    public Task<RevocationEntry> RevokeWithKeyAsync(byte[] certificateDer, KeyPossessionProof proof, RevocationReason reason, string actor, CancellationToken cancellationToken) =>
        AuditedAsync(actor, null, reason, "key:" + (proof is SignatureProof ? "signature" : "private_key"), () => RevokeGivenAsync(certificateDer, null, reason, null, proof, cancellationToken), cancellationToken);

    private async Task<RevocationEntry> RevokeGivenAsync(byte[] certificateDer, string? issuerRef, RevocationReason reason, DateTimeOffset? invalidityDate, KeyPossessionProof? proof, CancellationToken cancellationToken)
    {
        var certificate = CertificateOrigin.Parse(certificateDer);
        proof?.Verify(certificate, _time.GetUtcNow());
        var snapshot = await _catalog.GetAsync(cancellationToken).ConfigureAwait(false);
        var candidates = issuerRef is null ? snapshot.All : [snapshot.Resolve(issuerRef)];
        var issuer = CertificateOrigin.SignerOf(certificateDer, certificate, candidates);
        var serial = SerialNumbers.ToHex(certificate.SerialNumberBytes.Span);
        var stored = await _certificates.GetAsync(serial, cancellationToken).ConfigureAwait(false);
        return await RecordAsync(issuer.Issuer.Id, serial, certificate, reason, invalidityDate, stored is null ? certificateDer : null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RevocationEntry> RecordAsync(string issuerId, string serial, X509Certificate2 certificate, RevocationReason reason, DateTimeOffset? invalidityDate, byte[]? keepCertificate, CancellationToken cancellationToken)
    {
        // Whole seconds: CRLs and OCSP carry no more, and the API should report the time they show.
        var now = Crl.CrlExtensions.TruncateToSeconds(_time.GetUtcNow());
        if (invalidityDate > _time.GetUtcNow())
        {
            throw PkiException.Malformed("invalidity_date is in the future: it is when the key is known or suspected to have been compromised");
        }

        var (entry, added) = await _revocations.AddAsync(
            new RevocationEntry
            {
                Serial = serial,
                IssuerId = issuerId,
                RevokedAt = now,
                Reason = reason,
                InvalidityDate = invalidityDate is { } d ? Crl.CrlExtensions.TruncateToSeconds(d) : null,
                NotAfter = certificate.NotAfter.ToUniversalTime(),
                Shard = CrlShards.ShardFromCertificate(certificate),
                CertificateDer = keepCertificate,
            },
            cancellationToken).ConfigureAwait(false);
        if (!added)
        {
            throw new PkiException(PkiErrorKind.AlreadyRevoked, $"certificate {serial} was already revoked at {entry.RevokedAt:O} ({RevocationReasons.Name(entry.Reason)}); the first revocation stands");
        }

        // After the commit, so a response signed from the pre-revocation state cannot be put back after this removal.
        _ocspMemory.RemoveSerial(serial);
        await _ocspCache.RemoveSerialAsync(serial, CancellationToken.None).ConfigureAwait(false);
        _signal.Notify();
        return entry;
    }

    private Task<RevocationEntry> AuditedAsync(string actor, string? serial, RevocationReason reason, string how, Func<Task<RevocationEntry>> action, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(
            _time,
            actor,
            "certificate.revoke",
            action,
            (entry, e) => e with { IssuerId = entry.IssuerId, Serial = entry.Serial, Detail = $"reason={RevocationReasons.Name(entry.Reason)} by={how}" + (entry.Shard is { } s ? $" shard={s}" : string.Empty) },
            new AuditEvent { Time = default, Actor = actor, Operation = string.Empty, Outcome = string.Empty, Serial = serial, Detail = $"reason={RevocationReasons.Name(reason)} by={how}" },
            cancellationToken);
}
