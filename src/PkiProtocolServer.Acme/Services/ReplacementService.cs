using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// <c>replaces</c> in newOrder (RFC 9773 5): the named certificate must be one of the account's, share an identifier
/// with the order, and not be replaced already by an order that is not invalid. The claim is a compare-and-set in
/// <see cref="ICertificateReplacementStore"/>, so of two racing orders one gets it and the other alreadyReplaced;
/// finalize checks the order still holds it, and completes it (final) once the order is valid.
/// </summary>
public sealed class ReplacementService
{
    /// <summary>
    /// How long a claim whose order is not (yet) stored holds: newOrder claims before it stores the order, so a racing
    /// request must not take the claim over in between; a newOrder that failed after claiming releases it this late.
    /// </summary>
    public static readonly TimeSpan UnstoredClaimHold = TimeSpan.FromMinutes(1);

    private readonly RenewalInfoService _renewalInfo;
    private readonly ICertificateReplacementStore _replacements;
    private readonly IOrderStore _orders;
    private readonly TimeProvider _time;

    public ReplacementService(RenewalInfoService renewalInfo, ICertificateReplacementStore replacements, IOrderStore orders, TimeProvider time)
    {
        _renewalInfo = renewalInfo;
        _replacements = replacements;
        _orders = orders;
        _time = time;
    }

    /// <summary>
    /// Claims the certificate <paramref name="certId"/> names for the new order <paramref name="orderId"/> (not yet
    /// stored: an order that is never stored leaves a claim the next order may take over). Returns the ACME certificate id.
    /// </summary>
    public async Task<string> ClaimAsync(AcmeAccount account, string certId, IReadOnlyList<AcmeIdentifier> identifiers, string orderId, CancellationToken cancellationToken)
    {
        var id = AriCertificateId.Parse(certId);
        using var found = await _renewalInfo.FindAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw AcmeException.Malformed("\"replaces\" names no certificate issued through this server's ACME");
        var record = found.Record;
        if (record.AccountId != account.Id)
        {
            throw AcmeException.Unauthorized("\"replaces\" names a certificate of another account");
        }

        var replaced = IdentifiersOf(found.Leaf);
        if (!identifiers.Any(replaced.Contains))
        {
            throw AcmeException.Malformed("\"replaces\" names a certificate that shares no identifier with this order (RFC 9773 5)");
        }

        var current = await _replacements.GetAsync(record.Id, cancellationToken).ConfigureAwait(false);
        if (current is not null && (current.Completed || await StillClaimsAsync(current, cancellationToken).ConfigureAwait(false)))
        {
            throw AlreadyReplaced();
        }

        if (!await _replacements.TryClaimAsync(record.Id, orderId, current?.OrderId, _time.GetUtcNow(), record.NotAfter, cancellationToken).ConfigureAwait(false))
        {
            throw AlreadyReplaced();
        }

        return record.Id;
    }

    /// <summary>At finalize, before issuing: the order must still hold its claim (it always does unless it was invalid).</summary>
    public async Task CheckHeldAsync(AcmeOrder order, CancellationToken cancellationToken)
    {
        if (order.ReplacesCertificateId is not { } certificateId)
        {
            return;
        }

        var current = await _replacements.GetAsync(certificateId, cancellationToken).ConfigureAwait(false);
        if (current is null || current.OrderId != order.Id)
        {
            throw AlreadyReplaced();
        }
    }

    /// <summary>Once the order is valid, its claim is final: no later order may name that certificate again.</summary>
    public async Task CompleteAsync(AcmeOrder order, CancellationToken cancellationToken)
    {
        if (order.ReplacesCertificateId is { } certificateId)
        {
            await _replacements.CompleteAsync(certificateId, order.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// RFC 9773 5: only an order that is not invalid (pending, ready, processing, valid) keeps its claim; an order not
    /// stored yet keeps it for <see cref="UnstoredClaimHold"/>.
    /// </summary>
    private async Task<bool> StillClaimsAsync(CertificateReplacement claim, CancellationToken cancellationToken)
    {
        var order = await _orders.GetAsync(claim.OrderId, cancellationToken).ConfigureAwait(false);
        if (order is null)
        {
            return _time.GetUtcNow() - claim.ClaimedAt < UnstoredClaimHold;
        }

        return order.Status switch
        {
            OrderStatus.Valid => true,
            OrderStatus.Invalid => false,
            OrderStatus.Processing => _time.GetUtcNow() - order.ProcessingSince <= AcmeOrder.ProcessingTimeout,
            _ => _time.GetUtcNow() < order.Expires,
        };
    }

    private static HashSet<AcmeIdentifier> IdentifiersOf(X509Certificate2 leaf)
    {
        var identifiers = new HashSet<AcmeIdentifier>();
        foreach (var san in leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            identifiers.UnionWith(san.EnumerateDnsNames().Select(n => new AcmeIdentifier(AcmeIdentifier.Dns, n.ToLowerInvariant())));
            identifiers.UnionWith(san.EnumerateIPAddresses().Select(a => new AcmeIdentifier(AcmeIdentifier.Ip, a.ToString())));
        }

        return identifiers;
    }

    private static AcmeException AlreadyReplaced() =>
        new(AcmeErrorType.AlreadyReplaced, "the certificate named in \"replaces\" is already replaced by another order (RFC 9773 5)");
}
