using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Storage.Sqlite.Acme;

/// <summary>
/// The ACME front end's stores in the embedded database (schema migrations 4 and 6), over the same file and write gate
/// as the core's stores: <c>new SqliteAcmeStores(SqliteStores.Open(options).Database)</c>.
/// </summary>
public sealed class SqliteAcmeStores
{
    public SqliteAcmeStores(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        Accounts = new SqliteAccountStore(database);
        Orders = new SqliteOrderStore(database);
        Authorizations = new SqliteAuthorizationStore(database);
        Nonces = new SqliteNonceStore(database);
        Certificates = new SqliteAcmeCertificateStore(database);
        ExternalAccountKeys = new SqliteExternalAccountKeyStore(database);
        RenewalWindows = new SqliteRenewalWindowStore(database);
        Replacements = new SqliteCertificateReplacementStore(database);
        RateLimits = new SqliteRateLimitStore(database);
    }

    public IAccountStore Accounts { get; }

    public IOrderStore Orders { get; }

    public IAuthorizationStore Authorizations { get; }

    public INonceStore Nonces { get; }

    public IAcmeCertificateStore Certificates { get; }

    public IExternalAccountKeyStore ExternalAccountKeys { get; }

    /// <summary>Operator-set ARI windows (schema migration 5).</summary>
    public IRenewalWindowStore RenewalWindows { get; }

    /// <summary>RFC 9773 replacement claims (schema migration 5).</summary>
    public ICertificateReplacementStore Replacements { get; }

    public IRateLimitStore RateLimits { get; }
}
