using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Stores;

/// <summary>ACME orders (owned by the ACME front end). An order is gone once its <see cref="AcmeOrder.Expires"/> has passed and expired records are purged.</summary>
public interface IOrderStore
{
    /// <summary>
    /// Records a new order (version 1) together with the authorizations created for it (each version 1), in one
    /// atomic step; reused authorizations are referenced by id only and not passed here.
    /// </summary>
    Task<AcmeOrder> AddAsync(AcmeOrder order, IReadOnlyList<AcmeAuthorization> newAuthorizations, CancellationToken cancellationToken);

    Task<AcmeOrder?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the order if its stored version is still <see cref="AcmeOrder.Version"/>; null when another writer won.</summary>
    Task<AcmeOrder?> TryUpdateAsync(AcmeOrder order, CancellationToken cancellationToken);

    /// <summary>
    /// A page of the ids of an account's orders not yet expired at <paramref name="now"/>, oldest first, starting after
    /// <paramref name="cursor"/> (the <see cref="OrderPage.Next"/> of the previous page, or null for the first).
    /// </summary>
    Task<OrderPage> ListByAccountAsync(string accountId, DateTimeOffset now, string? cursor, int limit, CancellationToken cancellationToken);

    /// <summary>Removes orders whose expiry is at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>One page of order ids and the cursor of the next page (null on the last page).</summary>
public sealed record OrderPage(IReadOnlyList<string> OrderIds, string? Next);
