namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>A temporary directory for one test class instance; every store opened here is closed and the directory removed at the end.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly List<SqliteStores> _opened = [];

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("pki-sqlite-").FullName;

    /// <summary>Options for a database file in the temp directory; a new name per call unless one is given.</summary>
    public SqliteStoreOptions Options(string? fileName = null) =>
        new() { DatabasePath = Path.Combine(Directory, fileName ?? $"pki-{Guid.NewGuid():N}.db") };

    /// <summary>Opens (and migrates) a fresh database, closed at dispose.</summary>
    public SqliteStores OpenFresh() => Track(SqliteStores.Open(Options()));

    public SqliteStores Track(SqliteStores stores)
    {
        lock (_opened)
        {
            _opened.Add(stores);
        }

        return stores;
    }

    public void Dispose()
    {
        foreach (var stores in _opened)
        {
            stores.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
