using System.Globalization;
using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Certificates;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

public sealed class SqliteDatabaseTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_journal_mode_is_wal_and_connections_sync_fully_with_foreign_keys_on()
    {
        var stores = _temp.OpenFresh();
        using var connection = stores.Database.OpenConnection();

        Assert.Equal("wal", Pragma(connection, "journal_mode"));
        Assert.Equal("2", Pragma(connection, "synchronous")); // FULL
        Assert.Equal("1", Pragma(connection, "foreign_keys"));
        Assert.NotEqual("0", Pragma(connection, "busy_timeout"));
        Assert.True(File.Exists(stores.Database.DatabasePath + "-wal"));
    }

    [Fact]
    public void Opening_creates_the_missing_data_directory()
    {
        var path = Path.Combine(_temp.Directory, "nested", "deeper", "pki.db");

        var stores = _temp.Track(SqliteStores.Open(new SqliteStoreOptions { DatabasePath = path }));

        Assert.True(File.Exists(path));
        Assert.Equal(path, stores.Database.DatabasePath);
    }

    [Fact]
    public void An_in_memory_database_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SqliteStores.Open(new SqliteStoreOptions { DatabasePath = ":memory:" }));
    }

    [Fact]
    public async Task Every_record_survives_closing_and_reopening_the_store()
    {
        var options = _temp.Options();
        var key = StoreSamples.Key();
        var issuer = StoreSamples.Issuer(keyId: key.Id);
        var chainOnly = StoreSamples.Issuer() with { Usage = Core.Issuers.IssuerUsage.None, ManualChain = null };
        var role = StoreSamples.Role();
        var certificate = StoreSamples.Certificate(issuerId: issuer.Id);
        using (var before = SqliteStores.Open(options))
        {
            await before.Issuers.AddAsync(issuer, key, makeDefault: true, None);
            await before.Issuers.AddAsync(chainOnly, null, makeDefault: false, None);
            await before.Roles.PutAsync(role, None);
            await before.Certificates.AddAsync(certificate, None);
        }

        using var after = _temp.Track(SqliteStores.Open(options));

        StoreAssert.Same(key, await after.Issuers.GetKeyAsync(key.Id, None));
        StoreAssert.Same(issuer, await after.Issuers.GetAsync(issuer.Id, None));
        StoreAssert.Same(chainOnly, await after.Issuers.FindByNameAsync(chainOnly.Name, None));
        Assert.Equal(issuer.Id, await after.Issuers.GetDefaultIdAsync(None));
        StoreAssert.Same(role, await after.Roles.GetAsync(role.Name, None));
        StoreAssert.Same(certificate, await after.Certificates.GetAsync(certificate.Serial, None));
    }

    [Fact]
    public async Task Two_store_instances_on_one_file_writing_at_once_lose_nothing()
    {
        // Stands in for a CLI verb writing while the server runs: separate write gates, one file lock.
        var options = _temp.Options();
        var a = _temp.Track(SqliteStores.Open(options));
        var b = _temp.Track(SqliteStores.Open(options));
        var certificates = Enumerable.Range(0, 200).Select(_ => StoreSamples.Certificate()).ToArray();

        await Task.WhenAll(certificates.Select((c, i) => Task.Run(() => (i % 2 == 0 ? a : b).Certificates.AddAsync(c, None))));

        var listed = await a.Certificates.ListAsync(null, 1000, None);
        Assert.Equal(certificates.Select(c => c.Serial).Order(StringComparer.Ordinal), listed.Select(c => c.Serial));
    }

    [Fact]
    public async Task Timestamps_are_stored_as_unix_milliseconds_in_bigint_columns()
    {
        var stores = _temp.OpenFresh();
        var certificate = StoreSamples.Certificate();
        await stores.Certificates.AddAsync(certificate, None);

        using var connection = stores.Database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT typeof(not_after), not_after, typeof(certificate_der) FROM issued_certificates";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("integer", reader.GetString(0));
        Assert.Equal(certificate.NotAfter.ToUnixTimeMilliseconds(), reader.GetInt64(1));
        Assert.Equal("blob", reader.GetString(2));
    }

    [Fact]
    public async Task A_page_limit_below_one_is_malformed()
    {
        var stores = _temp.OpenFresh();

        var e = await Assert.ThrowsAsync<Core.Errors.PkiException>(() => stores.Certificates.ListAsync(null, 0, None));

        Assert.Equal(Core.Errors.PkiErrorKind.Malformed, e.Kind);
    }

    private static string Pragma(Microsoft.Data.Sqlite.SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture)!;
    }
}
