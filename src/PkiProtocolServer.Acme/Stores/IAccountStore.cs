using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Stores;

/// <summary>ACME accounts (owned by the ACME front end). Accounts are durable: they do not expire; deactivated ones are removed after a retention period.</summary>
public interface IAccountStore
{
    /// <summary>
    /// Records a new account with version 1, and, when <see cref="AcmeAccount.ExternalAccountKeyId"/> is set, binds
    /// that key to it in the same atomic step. Conflict (<c>PkiException</c>) when the directory already has an
    /// account with that key thumbprint, or when the EAB key is unknown, expired or already bound: then nothing is written.
    /// </summary>
    Task<AcmeAccount> AddAsync(AcmeAccount account, CancellationToken cancellationToken);

    Task<AcmeAccount?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The account of a directory whose key has this RFC 7638 thumbprint.</summary>
    Task<AcmeAccount?> FindByKeyAsync(string directory, string keyThumbprint, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the account if its stored version is still <see cref="AcmeAccount.Version"/>; returns it with the next
    /// version, or null when another writer changed it first. Conflict when a changed key is already another
    /// account's in the directory.
    /// </summary>
    Task<AcmeAccount?> TryUpdateAsync(AcmeAccount account, CancellationToken cancellationToken);

    /// <summary>
    /// Removes accounts deactivated (<see cref="AcmeAccount.DeactivatedAt"/>) at or before <paramref name="deactivatedBefore"/>,
    /// with their key mapping, so the key may start a new account; returns how many. Valid accounts are never removed.
    /// </summary>
    Task<int> DeleteDeactivatedAsync(DateTimeOffset deactivatedBefore, CancellationToken cancellationToken);
}
