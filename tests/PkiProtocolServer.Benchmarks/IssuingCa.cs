using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.X509;
using PkiProtocolServer.Storage.Sqlite;

namespace PkiProtocolServer.Benchmarks;

/// <summary>
/// A real issuing CA wired as the host wires it: SQLite stores (WAL, synchronous=FULL) in a fresh data
/// directory, the given key custodies, a JSON-lines audit file, a software root, an intermediate whose key
/// lives in <c>intermediateCustody</c> (signed by the root and imported), and a role that allows the
/// benchmark's names.
/// </summary>
internal sealed class IssuingCa : IDisposable
{
    public const string RoleName = "bench";

    /// <summary>The same role with no_store, to show what issuance costs without its record.</summary>
    public const string NoStoreRoleName = "bench-no-store";
    public const string Domain = "bench.example";

    private IssuingCa(string directory, SqliteStores stores, FileAuditLog audit, IssuanceService issuance, ISigner intermediateSigner, string intermediateId)
    {
        Directory = directory;
        Stores = stores;
        Audit = audit;
        Issuance = issuance;
        IntermediateSigner = intermediateSigner;
        IntermediateId = intermediateId;
    }

    public string Directory { get; }

    public SqliteStores Stores { get; }

    public FileAuditLog Audit { get; }

    public IssuanceService Issuance { get; }

    public ISigner IntermediateSigner { get; }

    public string IntermediateId { get; }

    public static async Task<IssuingCa> CreateAsync(string directory, IReadOnlyList<IKeyCustody> custodies, string intermediateCustody)
    {
        System.IO.Directory.CreateDirectory(directory);
        var time = TimeProvider.System;
        var stores = SqliteStores.Open(new SqliteStoreOptions { DatabasePath = Path.Combine(directory, "pki.db") });
        var audit = new FileAuditLog(Path.Combine(directory, "audit.log"));
        var keys = new KeyCustodyRegistry(custodies);
        var catalog = new IssuerCatalog(stores.Issuers, time);
        var issuers = new IssuerService(stores.Issuers, stores.Certificates, keys, catalog, audit, time);
        var ct = CancellationToken.None;

        var root = await issuers.GenerateRootAsync(
            new GenerateRootRequest
            {
                Name = "bench-root",
                Key = new CaKeyRequest { Custody = "software", KeySpec = KeySpec.EcP256, CommonName = "Benchmark Root CA" },
                MakeDefault = false,
            },
            "benchmark",
            ct);
        var intermediateCsr = await issuers.GenerateIntermediateAsync(
            new GenerateIntermediateRequest
            {
                KeyName = "bench-intermediate-key",
                Key = new CaKeyRequest { Custody = intermediateCustody, KeySpec = KeySpec.EcP256, CommonName = $"Benchmark Issuing CA ({intermediateCustody})" },
            },
            "benchmark",
            ct);
        var signed = await issuers.SignIntermediateAsync(root.Id, new SignIntermediateRequest { Csr = intermediateCsr.CsrDer }, "benchmark", ct);
        var imported = await issuers.ImportAsync(Pem.Encode("CERTIFICATE", signed.CertificateDer), "bench-intermediate", "benchmark", ct);
        var intermediate = imported.Imported.Single();
        await issuers.SetDefaultAsync(intermediate.Id, "benchmark", ct);

        var roles = new RoleService(stores.Roles, audit, time);
        var role = new Role
        {
            Name = RoleName,
            IssuerRef = intermediate.Id,
            AllowedDomains = [Domain],
            AllowSubdomains = true,
            KeyType = "ec",
            Ttl = TimeSpan.FromDays(30),
            MaxTtl = TimeSpan.FromDays(90),
        };
        await roles.PutAsync(role, "benchmark", ct);
        await roles.PutAsync(role with { Name = NoStoreRoleName, NoStore = true }, "benchmark", ct);

        var issuance = new IssuanceService(stores.Roles, stores.Certificates, catalog, keys, audit, time);
        var signer = await keys.OpenAsync(intermediateCsr.Key.KeyReference, ct);
        return new IssuingCa(directory, stores, audit, issuance, signer, intermediate.Id);
    }

    /// <summary>Rows in issued_certificates (the intermediate included).</summary>
    public long RecordedCertificates()
    {
        using var connection = Stores.Database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM issued_certificates";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        Audit.Dispose();
        Stores.Dispose();
    }
}
