using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Stores;

/// <summary>External Account Binding keys (RFC 8555 7.3.4). Binding happens atomically with the account: <see cref="IAccountStore.AddAsync"/>.</summary>
public interface IExternalAccountKeyStore
{
    /// <summary>Records a new key; Conflict when the id exists.</summary>
    Task AddAsync(ExternalAccountKey key, CancellationToken cancellationToken);

    Task<ExternalAccountKey?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>All keys, oldest first; of one directory when <paramref name="directory"/> is given.</summary>
    Task<IReadOnlyList<ExternalAccountKey>> ListAsync(string? directory, CancellationToken cancellationToken);

    /// <summary>Removes a key (bound or not); false when none had that id. An account it bound stays.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Removes unbound keys whose expiry is at or before <paramref name="now"/>; bound keys stay as the record of the binding.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
