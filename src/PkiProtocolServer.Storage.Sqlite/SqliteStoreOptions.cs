namespace PkiProtocolServer.Storage.Sqlite;

/// <summary>Where the embedded database lives and how long a writer waits for another one.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>Path of the database file (the host uses <c>{Pki:DataDirectory}/pki.db</c>); its directory is created if missing.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>
    /// How long a statement waits for a lock held by another connection or process (e.g. a CLI verb run
    /// while the server is up) before the store reports itself unavailable.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
