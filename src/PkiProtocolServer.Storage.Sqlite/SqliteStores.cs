using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Coordination;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Revocation.Ocsp;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Est.Enrollment;
using PkiProtocolServer.Est.Users;
using PkiProtocolServer.Storage.Sqlite.Schema;

namespace PkiProtocolServer.Storage.Sqlite;

/// <summary>
/// The embedded stores over one database file, opened and migrated in one call:
/// <c>using var stores = SqliteStores.Open(new SqliteStoreOptions { DatabasePath = "data/pki.db" });</c>
/// </summary>
public sealed class SqliteStores : IDisposable
{
    private SqliteStores(SqliteDatabase database)
    {
        Database = database;
        Issuers = new SqliteIssuerStore(database);
        Roles = new SqliteRoleStore(database);
        Certificates = new SqliteCertificateStore(database);
        Revocations = new SqliteRevocationStore(database);
        Crls = new SqliteCrlStore(database);
        OcspResponders = new SqliteOcspResponderStore(database);
        OcspResponses = new SqliteOcspResponseCache(database);
        Coordination = new SqliteCoordinationStore(database);
        EstUsers = new SqliteEstUserStore(database);
        EstEnrollments = new SqlitePendingEnrollmentStore(database);
    }

    public SqliteDatabase Database { get; }

    public IIssuerStore Issuers { get; }

    public IRoleStore Roles { get; }

    public ICertificateStore Certificates { get; }

    public IRevocationStore Revocations { get; }

    public ICrlStore Crls { get; }

    public IOcspResponderStore OcspResponders { get; }

    /// <summary>Hot state kept in the same file in the embedded default (Redis holds it in a fleet).</summary>
    public IOcspResponseCache OcspResponses { get; }

    /// <summary>Hot state kept in the same file in the embedded default (Redis holds it in a fleet).</summary>
    public ICoordinationStore Coordination { get; }
    /// <summary>EST password users (the EST front end's store).</summary>
    public IEstUserStore EstUsers { get; }

    /// <summary>EST enrollments held for manual approval (the EST front end's store).</summary>
    public IPendingEnrollmentStore EstEnrollments { get; }

    /// <summary>
    /// Opens (creating if needed) the database, switches it to WAL and applies missing schema migrations.
    /// Throws <see cref="InvalidOperationException"/> when the file holds a newer schema than this build knows.
    /// </summary>
    public static SqliteStores Open(SqliteStoreOptions options)
    {
        var database = SqliteDatabase.Open(options);
        try
        {
            SqliteSchemaMigrator.Migrate(database);
            return new SqliteStores(database);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public void Dispose() => Database.Dispose();
}
