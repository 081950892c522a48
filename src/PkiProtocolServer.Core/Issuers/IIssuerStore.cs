namespace PkiProtocolServer.Core.Issuers;

/// <summary>
/// Durable store of issuers, their keys and the default-issuer setting. Owned by the core; implemented by
/// the embedded (SQLite) and shared (Redis) providers. Each method is one atomic state change.
/// </summary>
public interface IIssuerStore
{
    Task<IssuerKey?> GetKeyAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<IssuerKey>> ListKeysAsync(CancellationToken cancellationToken);

    /// <summary>Adds a key. Throws <see cref="Errors.PkiException"/> (Conflict) when its id or name is taken.</summary>
    Task AddKeyAsync(IssuerKey key, CancellationToken cancellationToken);

    /// <summary>Removes a key record. Throws Conflict while an issuer uses it; returns false if it did not exist.</summary>
    Task<bool> DeleteKeyAsync(string id, CancellationToken cancellationToken);

    Task<Issuer?> GetAsync(string id, CancellationToken cancellationToken);

    Task<Issuer?> FindByNameAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<Issuer>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Adds an issuer, together with its new key when <paramref name="newKey"/> is given, and makes it the
    /// default when <paramref name="makeDefault"/> is set: all or nothing. Conflict on a taken id or name.
    /// </summary>
    Task AddAsync(Issuer issuer, IssuerKey? newKey, bool makeDefault, CancellationToken cancellationToken);

    /// <summary>Replaces an issuer's record. NotFound when missing; Conflict when the new name is taken.</summary>
    Task UpdateAsync(Issuer issuer, CancellationToken cancellationToken);

    /// <summary>Removes an issuer (and the default setting if it was the default). False if it did not exist.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    Task<string?> GetDefaultIdAsync(CancellationToken cancellationToken);

    /// <summary>Sets the default issuer. NotFound when <paramref name="id"/> names no issuer.</summary>
    Task SetDefaultIdAsync(string id, CancellationToken cancellationToken);
}
