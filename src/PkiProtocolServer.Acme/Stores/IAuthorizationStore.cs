using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Stores;

/// <summary>
/// ACME authorizations with their challenges (owned by the ACME front end). Those of an order are added with it
/// through <see cref="IOrderStore.AddAsync"/>; a pre-authorization (RFC 8555 7.4.1) through <see cref="AddAsync"/>.
/// </summary>
public interface IAuthorizationStore
{
    /// <summary>Records a new authorization that belongs to no order (a pre-authorization), as version 1; its id must be new.</summary>
    Task<AcmeAuthorization> AddAsync(AcmeAuthorization authorization, CancellationToken cancellationToken);

    Task<AcmeAuthorization?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The authorizations of these ids that exist, in any order.</summary>
    Task<IReadOnlyList<AcmeAuthorization>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>
    /// A valid authorization of the account for this identifier (and wildcard flag) that stays valid until at least
    /// <paramref name="validUntil"/>, for reuse by a new order (RFC 8555 7.1.3 allows it); the latest-expiring one.
    /// </summary>
    Task<AcmeAuthorization?> FindReusableAsync(string accountId, AcmeIdentifier identifier, bool wildcard, DateTimeOffset validUntil, CancellationToken cancellationToken);

    /// <summary>Replaces the authorization if its stored version is still <see cref="AcmeAuthorization.Version"/>; null when another writer won.</summary>
    Task<AcmeAuthorization?> TryUpdateAsync(AcmeAuthorization authorization, CancellationToken cancellationToken);

    /// <summary>Ids of authorizations whose <see cref="AcmeAuthorization.ValidationDueAt"/> is at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<string>> ListDueValidationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Removes authorizations whose expiry is at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
