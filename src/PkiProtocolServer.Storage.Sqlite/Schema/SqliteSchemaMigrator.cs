using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PkiProtocolServer.Storage.Sqlite.Schema;

/// <summary>
/// Brings a database to the schema this build knows: applies each migration not yet recorded in
/// <c>schema_version</c>, in version order, each in its own transaction. Safe to run on every start and from two
/// processes at once; refuses a database whose schema is newer than this build or records a migration this build
/// does not know (written by another version: running on it could lose data).
/// </summary>
/// <remarks>
/// Version numbers increase but may have gaps: branches developed in parallel reserve their numbers (the ACME
/// stores are 4 while 2 and 3 belong to other work), and a database that recorded 4 before 2 and 3 existed still
/// gets 2 and 3 once they are part of the build, because what is applied is every unrecorded migration, not only
/// those above the highest recorded one.
/// </remarks>
public static class SqliteSchemaMigrator
{
    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => SqliteMigrations.All[^1].Version;

    /// <summary>Applies the missing migrations; returns the schema version the database is now at.</summary>
    public static int Migrate(SqliteDatabase database) => Migrate(database, SqliteMigrations.All);

    /// <summary>The version recorded in <c>schema_version</c>, or 0 for a database never migrated.</summary>
    public static int CurrentVersion(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.OpenConnection();
        return ReadVersion(connection, transaction: null, tableMayBeMissing: true);
    }

    internal static int Migrate(SqliteDatabase database, IReadOnlyList<SqliteMigration> migrations)
    {
        ArgumentNullException.ThrowIfNull(database);
        CheckNumbering(migrations);
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;

        using var connection = database.OpenConnection();
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            Execute(connection, transaction, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version     INTEGER NOT NULL PRIMARY KEY,
                    description TEXT    NOT NULL,
                    applied_at  BIGINT  NOT NULL
                )
                """);
            transaction.Commit();
        }

        var recorded = ReadRecorded(connection, transaction: null);
        RefuseUnknown(database, recorded, migrations, latest);

        foreach (var migration in migrations.Where(m => !recorded.Contains(m.Version)))
        {
            // IMMEDIATE takes the write lock first, so a second process starting at the same moment waits,
            // then sees the version this one recorded and skips the migration.
            using var transaction = connection.BeginTransaction(deferred: false);
            var seen = ReadRecorded(connection, transaction);
            RefuseUnknown(database, seen, migrations, latest);
            if (seen.Contains(migration.Version))
            {
                continue;
            }

            try
            {
                foreach (var statement in migration.Statements)
                {
                    Execute(connection, transaction, statement);
                }

                using var record = connection.Command(transaction,
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (@version, @description, @applied_at)",
                    ("@version", migration.Version),
                    ("@description", migration.Description),
                    ("@applied_at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
                record.ExecuteNonQuery();
                transaction.Commit();
            }
            catch (SqliteException e)
            {
                throw new InvalidOperationException(
                    $"Schema migration {migration.Version} ({migration.Description}) failed on '{database.DatabasePath}' and was rolled back; the database stays at version {(seen.Count == 0 ? 0 : seen.Max())}: {e.Message}", e);
            }
        }

        return ReadVersion(connection, transaction: null, tableMayBeMissing: false);
    }

    private static void RefuseUnknown(SqliteDatabase database, IReadOnlySet<int> recorded, IReadOnlyList<SqliteMigration> migrations, int latest)
    {
        var current = recorded.Count == 0 ? 0 : recorded.Max();
        RefuseNewer(database, current, latest);
        var unknown = recorded.Where(v => migrations.All(m => m.Version != v)).Order().ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database '{database.DatabasePath}' records schema migration(s) {string.Join(", ", unknown)} that this build of PkiProtocolServer does not know. " +
                "It was written by another build; run that build, or restore a backup. Refusing to open it.");
        }
    }

    private static HashSet<int> ReadRecorded(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.Command(transaction, "SELECT version FROM schema_version");
        using var reader = command.ExecuteReader();
        var versions = new HashSet<int>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static void RefuseNewer(SqliteDatabase database, int current, int latest)
    {
        if (current > latest)
        {
            throw new InvalidOperationException(
                $"The database '{database.DatabasePath}' has schema version {current}, newer than version {latest} that this build of PkiProtocolServer knows. " +
                "It was written by a newer release; run that release (or later), or restore a backup taken before the upgrade. Refusing to open it.");
        }
    }

    private static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction, bool tableMayBeMissing)
    {
        if (tableMayBeMissing)
        {
            using var exists = connection.Command(transaction, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
            if (exists.ExecuteScalar() is null)
            {
                return 0;
            }
        }

        using var command = connection.Command(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.Command(transaction, sql);
        command.ExecuteNonQuery();
    }

    private static void CheckNumbering(IReadOnlyList<SqliteMigration> migrations)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version < 1 || (i > 0 && migrations[i].Version <= migrations[i - 1].Version))
            {
                throw new InvalidOperationException($"Schema migrations must be numbered from 1 upwards, each above the one before; found {migrations[i].Version} at position {i + 1}.");
            }
        }
    }
}
