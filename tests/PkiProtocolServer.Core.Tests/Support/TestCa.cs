using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Keys.Software;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.X509;
using PkiProtocolServer.Storage.Sqlite;

namespace PkiProtocolServer.Core.Tests.Support;

/// <summary>A whole issuer core on a temp directory: the embedded store, software custody, the real services.</summary>
public sealed class TestCa : IDisposable
{
    /// <param name="wrapCustody">Lets a test observe the custody (e.g. count signatures per key).</param>
    public TestCa(Func<IKeyCustody, IKeyCustody>? wrapCustody = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("pki-core-").FullName;
        Stores = SqliteStores.Open(new SqliteStoreOptions { DatabasePath = DatabasePath });
        Keys = new KeyCustodyRegistry([(wrapCustody ?? (c => c))(NewSoftwareCustody())]);
        Catalog = new IssuerCatalog(Stores.Issuers, TimeProvider.System);
        Issuers = new IssuerService(Stores.Issuers, Stores.Certificates, Keys, Catalog, Audit, TimeProvider.System);
        Issuance = new IssuanceService(Stores.Roles, Stores.Certificates, Catalog, Keys, Audit, TimeProvider.System);
        Roles = new RoleService(Stores.Roles, Audit, TimeProvider.System);
    }

    public string Directory { get; }

    public string DatabasePath => Path.Combine(Directory, "pki.db");

    /// <summary>Software custody over this CA's key directory: a second node opens the same keys through it.</summary>
    public SoftwareKeyCustody NewSoftwareCustody() =>
        new(new SoftwareKeyCustodyOptions { Directory = Path.Combine(Directory, "keys"), Passphrase = "test", Iterations = 1000 });

    public SqliteStores Stores { get; }

    public KeyCustodyRegistry Keys { get; }

    public IssuerCatalog Catalog { get; }

    public IssuerService Issuers { get; }

    public IssuanceService Issuance { get; }

    public RoleService Roles { get; }

    public MemoryAuditLog Audit { get; } = new();

    public Task<Issuer> RootAsync(string name, KeySpec? spec = null, CaConstraints? constraints = null, IssuerSettings? settings = null, string? commonName = null) =>
        Issuers.GenerateRootAsync(
            new GenerateRootRequest
            {
                Name = name,
                Key = new CaKeyRequest { CommonName = commonName ?? name + " Root", KeySpec = spec ?? KeySpec.EcP256 },
                Constraints = constraints ?? new CaConstraints(),
                Settings = settings ?? new IssuerSettings(),
            },
            "test",
            CancellationToken.None);

    /// <summary>Generates an intermediate key, signs it with <paramref name="parent"/>, imports it.</summary>
    public async Task<Issuer> IntermediateAsync(string name, string parent, KeySpec? spec = null, TimeSpan? ttl = null)
    {
        var csr = await Issuers.GenerateIntermediateAsync(
            new GenerateIntermediateRequest { KeyName = name + "-key", Key = new CaKeyRequest { CommonName = name, KeySpec = spec ?? KeySpec.EcP256 } },
            "test",
            CancellationToken.None);
        var signed = await Issuers.SignIntermediateAsync(parent, new SignIntermediateRequest { Csr = csr.CsrDer, Constraints = new CaConstraints { Ttl = ttl ?? TimeSpan.FromDays(365), MaxPathLength = 0 } }, "test", CancellationToken.None);
        var imported = await Issuers.ImportAsync(Pem.Encode("CERTIFICATE", signed.CertificateDer), name, "test", CancellationToken.None);
        return imported.Imported.Single();
    }

    public Task<Role> RoleAsync(Role role) => Roles.PutAsync(role, "test", CancellationToken.None);

    public static CertificationRequest Csr(string cn, string[]? dns = null, ECDsa? key = null)
    {
        key ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + cn, key, HashAlgorithmName.SHA256);
        if (dns is { Length: > 0 })
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in dns)
            {
                san.AddDnsName(name);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        return CertificationRequest.ParseDer(request.CreateSigningRequest());
    }

    /// <summary>Runs <c>openssl verify</c> with a root and optional intermediates; returns its output and exit code.</summary>
    public (int ExitCode, string Output) OpensslVerify(byte[] leaf, IReadOnlyList<byte[]> chain)
    {
        var leafPath = Write("leaf.pem", Pem.Encode("CERTIFICATE", leaf));
        var rootPath = Write("root.pem", Pem.Encode("CERTIFICATE", chain[^1]));
        var args = new List<string> { "verify", "-CAfile", rootPath };
        if (chain.Count > 1)
        {
            args.AddRange(["-untrusted", Write("untrusted.pem", Pem.Certificates(chain.Take(chain.Count - 1)))]);
        }

        args.Add(leafPath);
        var psi = new ProcessStartInfo("openssl", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    /// <summary>Builds the chain with .NET's X509Chain, trusting only the given root.</summary>
    public static X509Chain DotnetChain(byte[] leaf, IReadOnlyList<byte[]> chain)
    {
        var x509 = new X509Chain();
        x509.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        x509.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        x509.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(chain[^1]));
        foreach (var intermediate in chain.Take(chain.Count - 1))
        {
            x509.ChainPolicy.ExtraStore.Add(X509CertificateLoader.LoadCertificate(intermediate));
        }

        x509.Build(X509CertificateLoader.LoadCertificate(leaf));
        return x509;
    }

    public void Dispose()
    {
        Stores.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private string Write(string name, string contents)
    {
        var path = Path.Combine(Directory, Guid.NewGuid().ToString("N") + "-" + name);
        File.WriteAllText(path, contents);
        return path;
    }
}

/// <summary>Keeps audit events in memory so tests can read them.</summary>
public sealed class MemoryAuditLog : IAuditLog
{
    public ConcurrentQueue<AuditEvent> Events { get; } = new();

    public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        Events.Enqueue(auditEvent);
        return ValueTask.CompletedTask;
    }
}
