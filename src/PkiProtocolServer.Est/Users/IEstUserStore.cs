namespace PkiProtocolServer.Est.Users;

/// <summary>
/// Durable store of EST password users, owned by the EST front end (DESIGN.md: each front end owns its stores;
/// providers implement them). Every provider passes <c>EstUserStoreContract</c>.
/// </summary>
public interface IEstUserStore
{
    /// <summary>Records a new user. Conflict (<c>PkiException</c>) if the label already has a user of that name.</summary>
    Task AddAsync(EstUser user, CancellationToken cancellationToken);

    Task<EstUser?> GetAsync(string label, string name, CancellationToken cancellationToken);

    /// <summary>The users of a label, ordered by name.</summary>
    Task<IReadOnlyList<EstUser>> ListAsync(string label, CancellationToken cancellationToken);

    /// <summary>Removes a user; false if there was none.</summary>
    Task<bool> DeleteAsync(string label, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Consumes a one-time user for the request whose CSR hashes to <paramref name="requestHash"/>, atomically: true when
    /// it was unused (and is now consumed for this request) or was already consumed for this same request; false when it
    /// was consumed for another request, is not one-time, or does not exist. Two racing requests never both succeed
    /// unless they carry the same CSR.
    /// </summary>
    Task<bool> TryConsumeAsync(string label, string name, string requestHash, DateTimeOffset at, CancellationToken cancellationToken);
}
