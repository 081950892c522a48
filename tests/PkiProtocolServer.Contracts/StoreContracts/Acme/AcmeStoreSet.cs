using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Contracts.StoreContracts.Acme;

/// <summary>The ACME stores of one provider over one shared state (an order's authorizations are written by the order store).</summary>
public sealed record AcmeStoreSet(
    IAccountStore Accounts,
    IOrderStore Orders,
    IAuthorizationStore Authorizations,
    INonceStore Nonces,
    IAcmeCertificateStore Certificates,
    IExternalAccountKeyStore ExternalAccountKeys);

/// <summary>Base of the ACME store contracts: a provider's test class derives each contract and hands out fresh, empty stores.</summary>
public abstract class AcmeStoreContract
{
    protected static readonly CancellationToken None = CancellationToken.None;

    /// <summary>New, empty stores sharing one state (each call its own state).</summary>
    protected abstract Task<AcmeStoreSet> CreateAcmeStoresAsync();
}
