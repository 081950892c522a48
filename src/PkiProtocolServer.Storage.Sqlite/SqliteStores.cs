using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Issuers;
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
        EstUsers = new SqliteEstUserStore(database);
        EstEnrollments = new SqlitePendingEnrollmentStore(database);
    }

    public SqliteDatabase Database { get; }

    public IIssuerStore Issuers { get; }

    public IRoleStore Roles { get; }

    public ICertificateStore Certificates { get; }

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
