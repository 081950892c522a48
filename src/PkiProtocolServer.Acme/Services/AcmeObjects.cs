using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// Loads the orders, authorizations and certificates a request names, for the account that signed it: an object of
/// another account is unauthorized and tells nothing about it; an unknown one is 404. Orders come back with their
/// status refreshed from their authorizations (the order aggregate decides, 7.1.6) and the change recorded.
/// </summary>
public sealed class AcmeObjects
{
    private readonly IOrderStore _orders;
    private readonly IAuthorizationStore _authorizations;
    private readonly IAcmeCertificateStore _certificates;
    private readonly TimeProvider _time;

    public AcmeObjects(IOrderStore orders, IAuthorizationStore authorizations, IAcmeCertificateStore certificates, TimeProvider time)
    {
        _orders = orders;
        _authorizations = authorizations;
        _certificates = certificates;
        _time = time;
    }

    public async Task<AcmeOrder> OrderAsync(string id, AcmeAccount account, CancellationToken cancellationToken)
    {
        var order = Owned(await _orders.GetAsync(id, cancellationToken).ConfigureAwait(false), account, "order", o => o.AccountId, o => o.Directory);
        return await RefreshAsync(order, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AcmeAuthorization> AuthorizationAsync(string id, AcmeAccount account, CancellationToken cancellationToken) =>
        Owned(await _authorizations.GetAsync(id, cancellationToken).ConfigureAwait(false), account, "authorization", a => a.AccountId, a => a.Directory);

    public async Task<AcmeCertificate> CertificateAsync(string id, AcmeAccount account, CancellationToken cancellationToken) =>
        Owned(await _certificates.GetAsync(id, cancellationToken).ConfigureAwait(false), account, "certificate", c => c.AccountId, c => c.Directory);

    /// <summary>The order with the status its authorizations give it now; recorded when it changed (a lost race changes nothing).</summary>
    public async Task<AcmeOrder> RefreshAsync(AcmeOrder order, CancellationToken cancellationToken)
    {
        if (order.Status is OrderStatus.Valid or OrderStatus.Invalid)
        {
            return order;
        }

        var authorizations = await _authorizations.GetManyAsync(order.AuthorizationIds, cancellationToken).ConfigureAwait(false);
        var refreshed = order.Refresh(authorizations, _time.GetUtcNow());
        if (ReferenceEquals(refreshed, order))
        {
            return order;
        }

        var stored = await _orders.TryUpdateAsync(refreshed, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            return stored;
        }

        // Another request changed the order meanwhile (a finalize): read what it recorded.
        var current = await _orders.GetAsync(order.Id, cancellationToken).ConfigureAwait(false) ?? refreshed;
        return current.Refresh(authorizations, _time.GetUtcNow());
    }

    private static T Owned<T>(T? value, AcmeAccount account, string what, Func<T, string> owner, Func<T, string> directory)
        where T : class
    {
        if (value is null || directory(value) != account.Directory)
        {
            throw AcmeException.NotFound($"the {what} does not exist");
        }

        return owner(value) == account.Id
            ? value
            : throw AcmeException.Unauthorized($"the {what} belongs to another account");
    }
}
