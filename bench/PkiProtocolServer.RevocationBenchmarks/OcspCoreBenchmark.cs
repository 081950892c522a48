using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Ocsp;
using PkiProtocolServer.Core.Roles;

namespace PkiProtocolServer.Benchmarks;

/// <summary>
/// The responder without HTTP: pre-signed responses answered from node memory (the default path) and, with
/// node memory off, from the shared cache (SQLite here; Redis in a fleet) on every request.
/// </summary>
internal static class OcspCoreBenchmark
{
    public static async Task<(LoadRunner.Result NodeMemory, LoadRunner.Result SharedCache)> RunAsync(int certificates, int concurrency, TimeSpan duration)
    {
        var nodeMemory = await RunOneAsync(certificates, concurrency, duration, TimeSpan.FromSeconds(2));
        var sharedCache = await RunOneAsync(certificates, concurrency, duration, TimeSpan.Zero);
        return (nodeMemory, sharedCache);
    }

    private static async Task<LoadRunner.Result> RunOneAsync(int certificates, int concurrency, TimeSpan duration, TimeSpan nodeCacheTtl)
    {
        using var ca = await BenchCa.CreateAsync(new RevocationOptions { Ocsp = { NodeCacheTtl = nodeCacheTtl } });
        await new RoleService(ca.Stores.Roles, NoopAudit.Instance, TimeProvider.System).PutAsync(new Role { Name = "web", AllowedDomains = ["bench.test"], AllowSubdomains = true }, "bench", CancellationToken.None);
        var issuance = new IssuanceService(ca.Stores.Roles, ca.Stores.Certificates, ca.Catalog, ca.Keys, NoopAudit.Instance, TimeProvider.System);
        var requests = new byte[certificates][];
        for (var i = 0; i < certificates; i++)
        {
            var issued = await issuance.IssueWithGeneratedKeyAsync(new LeafRequest { Role = "web", SubjectPublicKeyInfo = [], KeySpec = KeySpec.EcP256, CommonName = $"c{i}.bench.test", Actor = "bench" }, KeySpec.EcP256, CancellationToken.None);
            requests[i] = OcspRequests.For(ca.Intermediate.Certificate, X509CertificateLoader.LoadCertificate(issued.Certificate.CertificateDer).SerialNumberBytes.Span);
        }

        foreach (var request in requests)
        {
            var warm = await ca.Ocsp.RespondAsync(request, CancellationToken.None);
            if (warm.Status != OcspResponseStatus.Successful)
            {
                throw new InvalidOperationException("warm-up answered " + warm.Status);
            }
        }

        return await LoadRunner.RunAsync(concurrency, duration, async (_, i) =>
            (await ca.Ocsp.RespondAsync(requests[i % requests.Length], CancellationToken.None)).Status == OcspResponseStatus.Successful);
    }

    private sealed class NoopAudit : Core.Audit.IAuditLog
    {
        public static readonly NoopAudit Instance = new();

        public ValueTask WriteAsync(Core.Audit.AuditEvent auditEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
