using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Jws;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// Finalize (RFC 8555 7.4): a ready order, a CSR matching it, the role and issuer of the order's profile (or the
/// directory's) applied by the core;
/// the certificate kept for download; the order valid. Only one finalize of an order issues: the ready → processing
/// step is a compare-and-set in the store.
/// </summary>
public sealed class FinalizeService
{
    private readonly IOrderStore _orders;
    private readonly IAcmeCertificateStore _certificates;
    private readonly ICertificateIssuer _issuer;
    private readonly TimeProvider _time;
    private readonly CaaRecheck _caa;
    private readonly ReplacementService _replacements;

    public FinalizeService(IOrderStore orders, IAcmeCertificateStore certificates, ICertificateIssuer issuer, TimeProvider time, CaaRecheck caa, ReplacementService replacements)
    {
        _caa = caa;
        _orders = orders;
        _certificates = certificates;
        _issuer = issuer;
        _time = time;
        _replacements = replacements;
    }

    public async Task<AcmeOrder> FinalizeAsync(AcmeOrder order, JsonElement payload, AcmeDirectory directory, AcmeAccount account, JsonWebKey accountKey, CancellationToken cancellationToken)
    {
        // 7.4: not ready is orderNotReady, whatever the CSR.
        var processing = order.BeginFinalize(_time.GetUtcNow());
        var csr = ReadCsr(payload);
        CsrPolicy.Check(csr, order, accountKey);
        await _replacements.CheckHeldAsync(order, cancellationToken).ConfigureAwait(false);
        var (role, issuerRef) = directory.IssuanceOf(order.Profile);

        // RFC 8659 3: CAA is checked again if the check behind an authorization has grown old; the order stays ready.
        await _caa.CheckAsync(order, directory, cancellationToken).ConfigureAwait(false);

        var claimed = await _orders.TryUpdateAsync(processing, cancellationToken).ConfigureAwait(false)
            ?? throw new AcmeException(AcmeErrorType.OrderNotReady, "the order is being finalized by another request");

        IssuanceResult issued;
        try
        {
            issued = await _issuer.IssueAsync(
                new LeafRequest
                {
                    Role = role,
                    IssuerRef = issuerRef,
                    SubjectPublicKeyInfo = csr.SubjectPublicKeyInfo,
                    KeySpec = csr.KeySpec,
                    CommonName = csr.CommonName,
                    Names = csr.Names,
                    Actor = AcmeAudit.Actor(account),
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (PkiException e) when (e.Kind is PkiErrorKind.PolicyRefused or PkiErrorKind.BadCsr or PkiErrorKind.Malformed or PkiErrorKind.Unavailable)
        {
            // The CSR (or the CA, for a moment) was the problem, not the order: it may be finalized again.
            await _orders.TryUpdateAsync(claimed.ReturnToReady(), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var problem = e is PkiException pki ? AcmeProblemTable.From(pki) : AcmeProblemTable.Problem(AcmeErrorType.ServerInternal, "issuance failed");
            await _orders.TryUpdateAsync(claimed.Fail(problem with { Status = null }), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var certificate = new AcmeCertificate
        {
            Id = AcmeIds.New(),
            AccountId = account.Id,
            OrderId = order.Id,
            Directory = directory.Name,
            Serial = issued.Certificate.Serial,
            IssuerId = issued.Certificate.IssuerId,
            Chains = [.. new[] { issued.Chain }.Concat(issued.AlternateChains).Select(chain => ChainPem(issued.Certificate.CertificateDer, chain))],
            NotAfter = issued.Certificate.NotAfter,
            CreatedAt = _time.GetUtcNow(),
            Role = role,
        };
        await _certificates.AddAsync(certificate, CancellationToken.None).ConfigureAwait(false);
        var valid = await _orders.TryUpdateAsync(claimed.Complete(certificate.Id), CancellationToken.None).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"order {order.Id} changed while it was processing");
        await _replacements.CompleteAsync(valid, CancellationToken.None).ConfigureAwait(false);
        return valid;
    }

    /// <summary>The leaf then the CA certificates up to, not including, a self-signed root (RFC 8555 7.4.2; relying parties hold the root).</summary>
    public static string ChainPem(byte[] leaf, IReadOnlyList<byte[]> chain)
    {
        var included = chain.Where(der => !IsSelfSigned(der)).ToList();
        return Pem.Certificates([leaf, .. included]);
    }

    private static bool IsSelfSigned(byte[] der)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        return certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
    }

    private static CertificationRequest ReadCsr(JsonElement payload)
    {
        if (!payload.TryGetProperty("csr", out var csr) || csr.ValueKind != JsonValueKind.String)
        {
            throw AcmeException.Malformed("finalize needs \"csr\": the DER CSR, base64url");
        }

        if (!Base64UrlText.TryDecode(csr.GetString(), out var der) || der.Length == 0)
        {
            throw new AcmeException(AcmeErrorType.BadCsr, "\"csr\" is not base64url (RFC 8555 7.4: DER, base64url-encoded, no PEM)");
        }

        try
        {
            return CertificationRequest.ParseDer(der);
        }
        catch (PkiException e)
        {
            throw new AcmeException(AcmeErrorType.BadCsr, e.Message);
        }
    }
}
