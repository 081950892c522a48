using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Revocation.Ocsp;
using PkiProtocolServer.Core.Revocation.Tidy;
using PkiProtocolServer.Storage.Sqlite;

namespace PkiProtocolServer.Core.Tests.Support;

/// <summary>
/// One server node's revocation services, wired as the host wires them. Two nodes over the same database file and
/// key directory (with their own catalogs, caches and clocks) stand for two processes sharing a data directory.
/// </summary>
public sealed class RevocationNode : IDisposable
{
    private readonly SqliteStores? _ownStores;

    public RevocationNode(SqliteStores stores, KeyCustodyRegistry keys, IssuerCatalog catalog, IAuditLog audit, RevocationOptions? options = null, TimeProvider? time = null, string? nodeId = null, SqliteStores? owned = null)
    {
        _ownStores = owned;
        Stores = stores;
        Options = options ?? new RevocationOptions();
        Time = time ?? TimeProvider.System;
        Catalog = catalog;
        Keys = keys;
        OcspMemory = new OcspNodeCache(Options.Ocsp);
        Responders = new OcspResponders(stores.OcspResponders, stores.Certificates, keys, audit, Options, Time);
        Ocsp = new OcspResponder(catalog, stores.Revocations, stores.Certificates, stores.OcspResponses, Responders, OcspMemory, Options, Time);
        Revocations = new RevocationService(stores.Certificates, stores.Revocations, stores.OcspResponses, OcspMemory, catalog, Signal, audit, Time);
        Publisher = new CrlPublisher(stores.Revocations, stores.Crls, catalog, keys, Options, Time);
        CrlReader = new CrlReader(stores.Crls, Publisher, Options, Time);
        Tidy = new TidyService(stores.Certificates, stores.Revocations, stores.OcspResponses, stores.OcspResponders, stores.Coordination, keys, audit, Options, Time);
        Maintenance = new RevocationMaintenance(stores.Coordination, stores.Revocations, stores.OcspResponses, catalog, Publisher, Responders, Ocsp, Tidy, Options, Time, nodeId);
    }

    /// <summary>The first node of a test CA, on its own stores and custody.</summary>
    public static RevocationNode For(TestCa ca, RevocationOptions? options = null, TimeProvider? time = null, string? nodeId = null) =>
        new(ca.Stores, ca.Keys, ca.Catalog, ca.Audit, options, time, nodeId ?? "node-a");

    /// <summary>Another node on the same data directory: its own store connections, key registry, issuer catalog and caches.</summary>
    public static RevocationNode Second(TestCa ca, RevocationOptions? options = null, TimeProvider? time = null)
    {
        var stores = SqliteStores.Open(new SqliteStoreOptions { DatabasePath = ca.DatabasePath });
        var keys = new KeyCustodyRegistry([ca.NewSoftwareCustody()]);
        var catalog = new IssuerCatalog(stores.Issuers, time ?? TimeProvider.System);
        return new RevocationNode(stores, keys, catalog, ca.Audit, options, time, "node-b", stores);
    }

    public SqliteStores Stores { get; }

    public RevocationOptions Options { get; }

    public TimeProvider Time { get; }

    public IssuerCatalog Catalog { get; }

    public KeyCustodyRegistry Keys { get; }

    public RevocationSignal Signal { get; } = new();

    public OcspNodeCache OcspMemory { get; }

    public OcspResponders Responders { get; }

    public OcspResponder Ocsp { get; }

    public RevocationService Revocations { get; }

    public CrlPublisher Publisher { get; }

    public CrlReader CrlReader { get; }

    public TidyService Tidy { get; }

    public RevocationMaintenance Maintenance { get; }

    public void Dispose() => _ownStores?.Dispose();
}
