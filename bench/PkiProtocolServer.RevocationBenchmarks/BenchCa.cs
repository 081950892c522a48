using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Keys.Software;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Revocation.Ocsp;
using PkiProtocolServer.Core.X509;
using PkiProtocolServer.Storage.Sqlite;

namespace PkiProtocolServer.Benchmarks;

/// <summary>A root and an intermediate (P-256, software custody) over a temporary SQLite file, with the revocation services wired as the host wires them.</summary>
internal sealed class BenchCa : IDisposable
{
    private BenchCa(string directory, SqliteStores stores, KeyCustodyRegistry keys, IssuerCatalog catalog, RevocationOptions options)
    {
        Directory = directory;
        Stores = stores;
        Keys = keys;
        Catalog = catalog;
        Options = options;
        Publisher = new CrlPublisher(stores.Revocations, stores.Crls, catalog, keys, options, TimeProvider.System);
        Memory = new OcspNodeCache(options.Ocsp);
        Responders = new OcspResponders(stores.OcspResponders, stores.Certificates, keys, NoAudit.Instance, options, TimeProvider.System);
        Ocsp = new OcspResponder(catalog, stores.Revocations, stores.Certificates, stores.OcspResponses, Responders, Memory, options, TimeProvider.System);
    }

    public string Directory { get; }

    public SqliteStores Stores { get; }

    public KeyCustodyRegistry Keys { get; }

    public IssuerCatalog Catalog { get; }

    public RevocationOptions Options { get; }

    public CrlPublisher Publisher { get; }

    public OcspNodeCache Memory { get; }

    public OcspResponders Responders { get; }

    public OcspResponder Ocsp { get; }

    public IssuerContext Intermediate { get; private set; } = null!;

    public static async Task<BenchCa> CreateAsync(RevocationOptions options)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("pki-bench-").FullName;
        var stores = SqliteStores.Open(new SqliteStoreOptions { DatabasePath = Path.Combine(directory, "pki.db") });
        var keys = new KeyCustodyRegistry([new SoftwareKeyCustody(new SoftwareKeyCustodyOptions { Directory = Path.Combine(directory, "keys"), Passphrase = "bench", Iterations = 1000 })]);
        var catalog = new IssuerCatalog(stores.Issuers, TimeProvider.System);
        var ca = new BenchCa(directory, stores, keys, catalog, options);
        var issuers = new IssuerService(stores.Issuers, stores.Certificates, keys, catalog, NoAudit.Instance, TimeProvider.System);
        await issuers.GenerateRootAsync(new GenerateRootRequest { Name = "root", Key = new CaKeyRequest { CommonName = "Bench Root" } }, "bench", CancellationToken.None);
        var csr = await issuers.GenerateIntermediateAsync(new GenerateIntermediateRequest { KeyName = "int-key", Key = new CaKeyRequest { CommonName = "Bench Intermediate" } }, "bench", CancellationToken.None);
        var signed = await issuers.SignIntermediateAsync("root", new SignIntermediateRequest { Csr = csr.CsrDer, Constraints = new CaConstraints { Ttl = TimeSpan.FromDays(365), MaxPathLength = 0 } }, "bench", CancellationToken.None);
        var imported = (await issuers.ImportAsync(Pem.Encode("CERTIFICATE", signed.CertificateDer), "int", "bench", CancellationToken.None)).Imported.Single();
        await issuers.UpdateAsync("int", new IssuerUpdate { Urls = new IssuerUrls { CrlDistributionPoints = ["http://bench.test/crl/" + imported.Id + ".crl"] } }, "bench", CancellationToken.None);
        ca.Intermediate = (await catalog.GetAsync(CancellationToken.None)).Resolve("int");
        return ca;
    }

    public void Dispose()
    {
        Stores.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private sealed class NoAudit : IAuditLog
    {
        public static readonly NoAudit Instance = new();

        public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
