using Microsoft.Data.Sqlite;
using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Storage.Sqlite.Schema;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

public sealed class SchemaMigrationTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Opening_an_existing_database_again_applies_no_migration_twice_and_keeps_its_data()
    {
        var options = _temp.Options();
        var role = StoreSamples.Role();
        using (var first = SqliteStores.Open(options))
        {
            Assert.Equal(SqliteSchemaMigrator.LatestVersion, SqliteSchemaMigrator.CurrentVersion(first.Database));
            await first.Roles.PutAsync(role, CancellationToken.None);
        }

        using var second = _temp.Track(SqliteStores.Open(options));

        Assert.Equal(SqliteSchemaMigrator.LatestVersion, SqliteSchemaMigrator.Migrate(second.Database));
        using var connection = second.Database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_version";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(SqliteMigrations.All.Count, reader.GetInt32(0));
        Assert.Equal(SqliteMigrations.All.Count, reader.GetInt32(1));
        StoreAssert.Same(role, await second.Roles.GetAsync(role.Name, CancellationToken.None));
    }

    [Fact]
    public void A_database_with_a_newer_schema_version_is_refused_with_a_clear_message()
    {
        var options = _temp.Options();
        var future = SqliteSchemaMigrator.LatestVersion + 41;
        using (var stores = SqliteStores.Open(options))
        {
            using var connection = stores.Database.OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO schema_version (version, description, applied_at) VALUES ({future}, 'from the future', 0)";
            command.ExecuteNonQuery();
        }

        var e = Assert.Throws<InvalidOperationException>(() => SqliteStores.Open(options));

        Assert.Contains($"schema version {future}", e.Message);
        Assert.Contains($"newer than version {SqliteSchemaMigrator.LatestVersion}", e.Message);
        Assert.Contains(options.DatabasePath, e.Message);
    }

    [Fact]
    public void A_failing_migration_rolls_back_whole_and_leaves_the_earlier_version()
    {
        using var database = SqliteDatabase.Open(_temp.Options());
        SqliteMigration[] migrations =
        [
            new(1, "first", ["CREATE TABLE first_table (id TEXT NOT NULL PRIMARY KEY)"]),
            new(2, "broken", ["CREATE TABLE half_done (id TEXT NOT NULL PRIMARY KEY)", "THIS IS NOT SQL"]),
        ];

        var e = Assert.Throws<InvalidOperationException>(() => SqliteSchemaMigrator.Migrate(database, migrations));

        Assert.Contains("migration 2", e.Message);
        Assert.Equal(1, SqliteSchemaMigrator.CurrentVersion(database));
        Assert.True(TableExists(database, "first_table"));
        Assert.False(TableExists(database, "half_done"));
    }

    [Fact]
    public void Migrations_apply_in_order_on_top_of_an_older_schema()
    {
        using var database = SqliteDatabase.Open(_temp.Options());
        SqliteMigration first = new(1, "first", ["CREATE TABLE a (id TEXT NOT NULL PRIMARY KEY)"]);
        SqliteMigration second = new(2, "second", ["CREATE TABLE b (id TEXT NOT NULL PRIMARY KEY)", "INSERT INTO b (id) VALUES ('seed')"]);

        Assert.Equal(1, SqliteSchemaMigrator.Migrate(database, [first]));
        Assert.Equal(2, SqliteSchemaMigrator.Migrate(database, [first, second]));
        Assert.Equal(2, SqliteSchemaMigrator.Migrate(database, [first, second]));

        Assert.True(TableExists(database, "b"));
        using var connection = database.OpenConnection();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM b";
        Assert.Equal(1L, count.ExecuteScalar());
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(0, 1)]
    public void Migrations_out_of_order_duplicated_or_below_one_are_refused(int first, int second)
    {
        using var database = SqliteDatabase.Open(_temp.Options());

        Assert.Throws<InvalidOperationException>(() => SqliteSchemaMigrator.Migrate(database,
            [new(first, "first", ["CREATE TABLE x (id TEXT)"]), new(second, "second", ["CREATE TABLE y (id TEXT)"])]));
    }

    [Fact]
    public void A_migration_merged_below_the_recorded_version_is_still_applied()
    {
        // Parallel branches reserve numbers: a database that recorded 1 and 3 gets 2 once 2 is part of the build.
        using var database = SqliteDatabase.Open(_temp.Options());
        SqliteMigration one = new(1, "one", ["CREATE TABLE one_table (id TEXT)"]);
        SqliteMigration two = new(2, "two", ["CREATE TABLE two_table (id TEXT)"]);
        SqliteMigration three = new(3, "three", ["CREATE TABLE three_table (id TEXT)"]);

        Assert.Equal(3, SqliteSchemaMigrator.Migrate(database, [one, three]));
        Assert.Equal(3, SqliteSchemaMigrator.Migrate(database, [one, two, three]));

        Assert.True(TableExists(database, "two_table"));
    }

    [Fact]
    public void A_database_recording_a_migration_this_build_does_not_know_is_refused()
    {
        using var database = SqliteDatabase.Open(_temp.Options());
        SqliteMigration one = new(1, "one", ["CREATE TABLE one_table (id TEXT)"]);
        SqliteMigration two = new(2, "two", ["CREATE TABLE two_table (id TEXT)"]);
        SqliteMigration three = new(3, "three", ["CREATE TABLE three_table (id TEXT)"]);
        SqliteSchemaMigrator.Migrate(database, [one, two, three]);

        var e = Assert.Throws<InvalidOperationException>(() => SqliteSchemaMigrator.Migrate(database, [one, three]));

        Assert.Contains("migration(s) 2", e.Message);
    }

    [Fact]
    public void Two_stores_starting_together_on_one_new_file_both_open_at_the_latest_version()
    {
        var options = _temp.Options();

        var opened = Enumerable.Range(0, 4).AsParallel().Select(_ => _temp.Track(SqliteStores.Open(options))).ToArray();

        Assert.All(opened, s => Assert.Equal(SqliteSchemaMigrator.LatestVersion, SqliteSchemaMigrator.CurrentVersion(s.Database)));
    }

    [Theory]
    [InlineData("issued_certificates", "not_after")]
    [InlineData("issued_certificates", "issuer_id")]
    [InlineData("issued_certificates", "issued_at")]
    [InlineData("issuers", "key_id")]
    [InlineData("est_enrollments", "label")]
    [InlineData("est_enrollments", "state")]
    [InlineData("est_enrollments", "created_at")]
    [InlineData("acme_authorizations", "validation_due_at")]
    [InlineData("acme_authorizations", "expires_at")]
    [InlineData("acme_orders", "account_id")]
    [InlineData("acme_nonces", "expires_at")]
    [InlineData("acme_certificates", "serial")]
    public void Columns_that_tidy_crls_key_checks_and_est_polls_query_are_indexed(string table, string column)
    {
        using var stores = _temp.Track(_temp.OpenFresh());
        using var connection = stores.Database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT il.name FROM pragma_index_list(@table) il JOIN pragma_index_info(il.name) ii WHERE ii.seqno = 0 AND ii.name = @column";
        command.Parameters.AddWithValue("@table", table);
        command.Parameters.AddWithValue("@column", column);

        Assert.NotNull(command.ExecuteScalar());
    }

    private static bool TableExists(SqliteDatabase database, string name)
    {
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = @name";
        command.Parameters.Add(new SqliteParameter("@name", name));
        return command.ExecuteScalar() is not null;
    }
}
