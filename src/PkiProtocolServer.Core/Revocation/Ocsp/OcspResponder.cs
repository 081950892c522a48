using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuers;

namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>
/// The OCSP responder (RFC 6960, RFC 5019 profile): request DER in, response DER out, no HTTP. A request
/// for one certificate without a nonce is answered from node memory, then from the shared cache of
/// pre-signed responses, and only then signed (and cached). Requests about issuers that are not ours get
/// <c>unauthorized</c>; unreadable ones <c>malformedRequest</c>; a failing store or key <c>tryLater</c>.
/// </summary>
public sealed class OcspResponder
{
    private readonly IssuerCatalog _catalog;
    private readonly IRevocationStore _revocations;
    private readonly ICertificateStore _certificates;
    private readonly IOcspResponseCache _cache;
    private readonly OcspResponders _responders;
    private readonly RevocationOptions _options;
    private readonly TimeProvider _time;
    private volatile OcspIssuerIndex? _index;

    public OcspResponder(IssuerCatalog catalog, IRevocationStore revocations, ICertificateStore certificates, IOcspResponseCache cache, OcspResponders responders, OcspNodeCache nodeCache, RevocationOptions options, TimeProvider time)
    {
        _catalog = catalog;
        _revocations = revocations;
        _certificates = certificates;
        _cache = cache;
        _responders = responders;
        NodeCache = nodeCache;
        _options = options;
        _time = time;
    }

    public OcspNodeCache NodeCache { get; }

    public async Task<OcspResult> RespondAsync(ReadOnlyMemory<byte> requestDer, CancellationToken cancellationToken)
    {
        var request = OcspRequest.TryParse(requestDer);
        if (request is null)
        {
            return OcspResult.Error(OcspResponseStatus.MalformedRequest);
        }

        try
        {
            var index = await IndexAsync(cancellationToken).ConfigureAwait(false);
            IssuerContext? signing = null;
            var candidates = new List<IReadOnlyList<IssuerContext>>();
            foreach (var certId in request.CertIds)
            {
                var issuers = index.Find(certId);
                var signer = issuers.FirstOrDefault(OcspResponders.SignsOcsp);
                // RFC 6960 2.3: unauthorized when the responder cannot answer for that CA, including mixed CAs in one request.
                if (!_options.Ocsp.Enabled || signer is null || (signing is not null && signer != signing))
                {
                    return OcspResult.Error(OcspResponseStatus.Unauthorized);
                }

                signing = signer;
                candidates.Add(issuers);
            }

            var nonce = _options.Ocsp.HonorNonce ? request.NonceExtensionValue : null;
            if (request.CertIds.Count == 1 && nonce is null)
            {
                return OcspResult.From(await CachedAsync(request.CertIds[0], candidates[0], signing!, cancellationToken).ConfigureAwait(false));
            }

            return await SingleUseAsync(request, candidates, signing!, nonce, cancellationToken).ConfigureAwait(false);
        }
        catch (PkiException ex) when (ex.Kind == PkiErrorKind.Unavailable)
        {
            return OcspResult.Error(OcspResponseStatus.TryLater, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return OcspResult.Error(OcspResponseStatus.InternalError, ex);
        }
    }

    /// <summary>Signs again the cached responses due by the next pass, dropping those about certificates no longer known. Returns how many it signed.</summary>
    public async Task<int> RefreshDueAsync(CancellationToken cancellationToken)
    {
        if (!_options.Ocsp.Enabled)
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        var due = await _cache.ListRefreshDueAsync(now + _options.PollInterval, _options.Ocsp.RefreshBatchSize, cancellationToken).ConfigureAwait(false);
        var index = await IndexAsync(cancellationToken).ConfigureAwait(false);
        var signed = 0;
        foreach (var stale in due)
        {
            var certId = OcspRequest.ReadCertId(stale.CertIdDer);
            var issuers = index.Find(certId);
            var signer = issuers.FirstOrDefault(OcspResponders.SignsOcsp);
            var fresh = signer is null ? null : await SignAsync(certId, issuers, signer, cancellationToken).ConfigureAwait(false);
            if (fresh is null || fresh.Status == OcspCertStatus.Unknown)
            {
                await _cache.RemoveSerialAsync(stale.Serial, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await _cache.PutAsync(fresh, cancellationToken).ConfigureAwait(false);
            signed++;
        }

        return signed;
    }

    private async Task<CachedOcspResponse> CachedAsync(OcspCertId certId, IReadOnlyList<IssuerContext> issuers, IssuerContext signing, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (NodeCache.TryGet(certId.Key, now, out var remembered))
        {
            return remembered;
        }

        var stored = await _cache.GetAsync(certId.Key, cancellationToken).ConfigureAwait(false);
        if (stored is not null && now < stored.RefreshAt && stored.IssuerId == signing.Issuer.Id)
        {
            NodeCache.Put(stored, now);
            return stored;
        }

        CachedOcspResponse fresh;
        try
        {
            fresh = await SignAsync(certId, issuers, signing, cancellationToken).ConfigureAwait(false);
        }
        catch (PkiException) when (stored is not null && now < stored.NextUpdate && stored.IssuerId == signing.Issuer.Id)
        {
            return stored; // still valid: better than tryLater while the signer is away
        }

        if (fresh.Status != OcspCertStatus.Unknown)
        {
            await _cache.PutAsync(fresh, cancellationToken).ConfigureAwait(false);
            if (fresh.Status == OcspCertStatus.Good && await RevokedAsync(certId, issuers, cancellationToken).ConfigureAwait(false))
            {
                // A revocation committed between our status read and our put: its cache removal may have run before
                // the put. Looking again after the put closes that window (the revoker removes after it commits).
                fresh = await SignAsync(certId, issuers, signing, cancellationToken).ConfigureAwait(false);
                await _cache.PutAsync(fresh, cancellationToken).ConfigureAwait(false);
            }
        }

        NodeCache.Put(fresh, now);
        return fresh;
    }

    private async Task<OcspResult> SingleUseAsync(OcspRequest request, List<IReadOnlyList<IssuerContext>> candidates, IssuerContext signing, byte[]? nonce, CancellationToken cancellationToken)
    {
        var identity = await _responders.IdentityAsync(signing, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var singles = new List<OcspSingleResponse>();
        for (var i = 0; i < request.CertIds.Count; i++)
        {
            singles.Add(await StatusAsync(request.CertIds[i], candidates[i], now, identity, cancellationToken).ConfigureAwait(false));
        }

        var der = await Ocsp.OcspResponseWriter.SignAsync(singles, now, nonce, identity.Signer, identity.Algorithm, identity.ResponderKeyHash, identity.CertificateDer, cancellationToken).ConfigureAwait(false);
        return new OcspResult { Status = OcspResponseStatus.Successful, Der = der, ThisUpdate = now, NextUpdate = singles.Min(s => s.NextUpdate), Cacheable = nonce is null };
    }

    private async Task<CachedOcspResponse> SignAsync(OcspCertId certId, IReadOnlyList<IssuerContext> issuers, IssuerContext signing, CancellationToken cancellationToken)
    {
        var identity = await _responders.IdentityAsync(signing, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var single = await StatusAsync(certId, issuers, now, identity, cancellationToken).ConfigureAwait(false);
        var der = await Ocsp.OcspResponseWriter.SignAsync([single], now, null, identity.Signer, identity.Algorithm, identity.ResponderKeyHash, identity.CertificateDer, cancellationToken).ConfigureAwait(false);
        return new CachedOcspResponse
        {
            Key = certId.Key,
            CertIdDer = certId.Der,
            IssuerId = signing.Issuer.Id,
            Serial = certId.Serial,
            Status = single.Status,
            ThisUpdate = single.ThisUpdate,
            NextUpdate = single.NextUpdate,
            RefreshAt = single.ThisUpdate + ((single.NextUpdate - single.ThisUpdate) / 2),
            ResponseDer = der,
        };
    }

    /// <summary>Revoked when a revocation of one of these issuers names the serial; good when one of them issued a stored certificate with it; unknown otherwise (e.g. a no_store certificate).</summary>
    private async Task<OcspSingleResponse> StatusAsync(OcspCertId certId, IReadOnlyList<IssuerContext> issuers, DateTimeOffset now, OcspSigningIdentity identity, CancellationToken cancellationToken)
    {
        var nextUpdate = now + _options.Ocsp.Validity;
        if (nextUpdate > identity.NotAfter)
        {
            nextUpdate = identity.NotAfter; // a response must not outlive the certificate that vouches for it
        }

        var revoked = await _revocations.GetAsync(certId.Serial, cancellationToken).ConfigureAwait(false);
        if (revoked is not null && issuers.Any(i => i.Issuer.Id == revoked.IssuerId))
        {
            return new OcspSingleResponse { CertId = certId, Status = OcspCertStatus.Revoked, RevokedAt = revoked.RevokedAt, Reason = revoked.Reason, ThisUpdate = now, NextUpdate = nextUpdate };
        }

        var certificate = await _certificates.GetAsync(certId.Serial, cancellationToken).ConfigureAwait(false);
        var status = certificate is not null && issuers.Any(i => i.Issuer.Id == certificate.IssuerId) ? OcspCertStatus.Good : OcspCertStatus.Unknown;
        return new OcspSingleResponse { CertId = certId, Status = status, ThisUpdate = now, NextUpdate = nextUpdate };
    }

    private async Task<bool> RevokedAsync(OcspCertId certId, IReadOnlyList<IssuerContext> issuers, CancellationToken cancellationToken)
    {
        var revoked = await _revocations.GetAsync(certId.Serial, cancellationToken).ConfigureAwait(false);
        return revoked is not null && issuers.Any(i => i.Issuer.Id == revoked.IssuerId);
    }

    private async ValueTask<OcspIssuerIndex> IndexAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _catalog.GetAsync(cancellationToken).ConfigureAwait(false);
        var index = _index;
        if (index is null || !ReferenceEquals(index.Snapshot, snapshot))
        {
            index = new OcspIssuerIndex(snapshot);
            _index = index;
        }

        return index;
    }
}
